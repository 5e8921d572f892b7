import torch
W = torch.randn(2, 3, requires_grad=True)
v = torch.ones(3, requires_grad=True)
out = (W @ v).sum()
out.backward()
