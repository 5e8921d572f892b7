import torch
from torch.func import grad, vmap

batch = torch.arange(6.0).reshape(3, 2)
print(vmap(torch.dot)(batch, batch))
print(vmap(lambda row: row.sum() * 2)(batch))
print(vmap(lambda a, b: a * b, in_dims=(0, None))(batch, torch.tensor([10.0, 20.0])))
print(torch.vmap(torch.trace)(torch.eye(3).expand(4, 3, 3)))


def loss(w, xb, yb):
    return ((xb @ w - yb) ** 2).mean()


w = torch.tensor([0.5, -0.5])
targets = torch.tensor([1.0, 0.0, 2.0])
per_sample = vmap(grad(loss), in_dims=(None, 0, 0))(w, batch, targets)
print(per_sample)
print(per_sample.mean(0), grad(loss)(w, batch, targets))
print(vmap(vmap(torch.mul))(torch.ones(2, 3), torch.full((2, 3), 2.0)))
