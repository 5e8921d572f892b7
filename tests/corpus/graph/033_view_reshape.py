import torch
x = torch.arange(6.).requires_grad_(True)
m = x.view(2, 3)
r = m.reshape(3, 2)
out = (r * r).sum()
out.backward()
