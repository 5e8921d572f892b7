import torch
x = torch.ones(2)
x.requires_grad_()
y = torch.full((2,), 3.)
out = (x * y).sum()
out.backward()
