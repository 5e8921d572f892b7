import torch
x = torch.tensor(3.,requires_grad = True)
y = torch.tensor(6.)
y.requires_grad_(True)

u = 2*x
u_ = u.detach()

z = u_+ x*y

z.backward()

x.grad
