import torch
x = torch.tensor(3., requires_grad=True)
y = torch.tensor(6., requires_grad=True)
u = 2*x
u_ = u.detach()
out = u_ + x*y
out.backward()
