import torch
x = torch.randn(3, 4, requires_grad=True)
s = x.sum(dim=1, keepdim=True)
m = x.mean(0)
out = (x / s).sum() + m.sum()
out.backward()
