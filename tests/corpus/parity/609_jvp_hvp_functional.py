import torch
from torch.autograd.functional import jvp, hvp


def f(x):
    return (x ** 3).sum()


x = torch.tensor([1.0, 2.0])
v = torch.ones(2)
out, tangent = jvp(lambda t: t ** 2, (x,), (v,))
print(out, tangent)
value, hv = hvp(f, x, v)
print(value, hv)
