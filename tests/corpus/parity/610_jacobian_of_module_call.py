import torch
from torch.autograd.functional import jacobian

torch.manual_seed(0)
layer = torch.nn.Linear(3, 2)
x = torch.randn(3)
J = jacobian(layer, x)
print(torch.allclose(J, layer.weight))
