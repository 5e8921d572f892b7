import torch
a = torch.ones(2, 3, requires_grad=True)
b = torch.ones(3)
c = a + b
d = torch.ones(2)
e = a + d
