import torch
M = torch.randn(2, 3, requires_grad=True)
r = torch.randn(3, requires_grad=True)
out = (M + r).sum()
out.backward()
