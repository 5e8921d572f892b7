import torch
from torch.func import grad, grad_and_value


def f(x):
    return (x**3).sum()


x = torch.tensor([1.0, 2.0, 3.0])
print(grad(f)(x))
print(grad(grad(torch.sin))(torch.tensor(0.5)))
g, v = grad_and_value(f)(x)
print(g, v)


def loss(w, xb, yb):
    return ((xb @ w - yb) ** 2).mean()


w = torch.tensor([0.5, -0.5])
xb = torch.arange(6.0).reshape(3, 2)
yb = torch.ones(3)
print(grad(loss)(w, xb, yb))
gw, gy = grad(loss, argnums=(0, 2))(w, xb, yb)
print(gw, gy)
print(x.grad, x.requires_grad)
