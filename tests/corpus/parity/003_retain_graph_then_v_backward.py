import torch
x = torch.tensor(3., requires_grad=True)
y = torch.tensor(6.)
y.requires_grad_(True)
u = 2*x
v = x*y
z = u + v
z.backward(retain_graph=True)
x.grad.zero_()
y.grad.zero_()
v.backward()
x.grad, y.grad
