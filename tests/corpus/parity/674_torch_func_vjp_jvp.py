import torch
from torch.func import jvp, vjp

x = torch.tensor([0.1, 0.2, 0.3])
out, vjp_fn = vjp(torch.sin, x)
print(out)
print(vjp_fn(torch.ones(3)))
(cotangent,) = vjp_fn(torch.tensor([1.0, 0.0, 2.0]))
print(cotangent)


def f(a, b):
    return a * b.exp()


y = torch.tensor([1.0, -1.0, 0.5])
value, tangent = jvp(f, (x, y), (torch.ones(3), torch.zeros(3)))
print(value, tangent)
