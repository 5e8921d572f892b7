import torch
from torch.autograd import forward_ad

w = torch.tensor([[1.0, 2.0], [3.0, 4.0]])
x = torch.tensor([0.5, -0.5])
v = torch.tensor([1.0, 1.0])


def model(inp):
    return torch.tanh(w @ inp)


with forward_ad.dual_level():
    out = model(forward_ad.make_dual(x, v))
    directional = forward_ad.unpack_dual(out).tangent
print(directional)
j = torch.autograd.functional.jacobian(model, x)
print(torch.allclose(j @ v, directional))
