import torch
from torch.autograd import gradcheck, gradgradcheck

x = torch.randn(3, dtype=torch.double, requires_grad=True)
y = torch.randn(3, dtype=torch.double, requires_grad=True)


def f(a, b):
    return (a * b).tanh()


print(gradgradcheck(f, (x, y)))
print(gradgradcheck(torch.sigmoid, (x,)))
g = torch.randn(3, dtype=torch.double, requires_grad=True)
print(gradgradcheck(lambda t: t**4, (x,), (g,)))
print(gradcheck(torch.tanh, x))
