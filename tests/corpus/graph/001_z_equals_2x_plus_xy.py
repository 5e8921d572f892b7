import torch
x = torch.tensor(3., requires_grad=True)
y = torch.tensor(6.)
y.requires_grad_(True)
out = 2*x + x*y
out.backward()
