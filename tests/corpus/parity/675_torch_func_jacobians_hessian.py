import torch
from torch.func import hessian, jacfwd, jacrev

x = torch.tensor([1.0, 2.0, 3.0])
print(jacrev(torch.sin)(x))
print(jacfwd(lambda t: t**2)(x))


def f(t):
    return (t**3).sum() + t[0] * t[1]


print(hessian(f)(x))


def g(a, b):
    return a * b


print(jacrev(g, argnums=1)(x, torch.ones(3)))
print(torch.allclose(jacrev(torch.tanh)(x), jacfwd(torch.tanh)(x)))
