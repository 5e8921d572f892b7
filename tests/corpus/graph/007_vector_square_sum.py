import torch
w = torch.randn(3, requires_grad=True)
out = (w*w).sum()
out.backward()
