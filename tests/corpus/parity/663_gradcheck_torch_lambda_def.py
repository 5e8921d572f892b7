import torch
from torch.autograd import gradcheck

x = torch.randn(3, dtype=torch.double, requires_grad=True)
y = torch.randn(3, dtype=torch.double, requires_grad=True)
print(gradcheck(torch.sin, (x,)))
print(gradcheck(lambda t: (t**3).sum(), (x,), eps=1e-6, atol=1e-4))


def f(a, b):
    return a * b + a.exp()


print(gradcheck(f, (x, y)))
print(torch.autograd.gradcheck(torch.mul, (x, y), fast_mode=True))
z = torch.randn(2, 2, dtype=torch.double, requires_grad=True)
print(gradcheck(lambda m: m @ m, (z,)))
