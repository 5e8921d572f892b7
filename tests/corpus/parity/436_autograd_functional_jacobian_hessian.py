import torch
from torch.autograd.functional import jacobian, hessian, vjp


def exp_reducer(x):
    return x.exp().sum(dim=1)


inputs = torch.rand(2, 2)
J = jacobian(exp_reducer, inputs)
print(J.shape)


def pow_reducer(x):
    return x.pow(3).sum()


H = hessian(pow_reducer, torch.tensor([1.0, 2.0]))
print(H)
out, v = vjp(lambda x: x ** 2, torch.tensor([1.0, 3.0]), torch.ones(2))
print(out, v)
