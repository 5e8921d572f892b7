import torch

x = torch.tensor(3., requires_grad=True)
y = torch.tensor(6.)
y.requires_grad_(True)

u = 2*x
v = x*y
u, v
z = u + v
z
z.backward()
x.grad, y.grad
