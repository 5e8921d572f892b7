import torch
x = torch.randn(3, 4, requires_grad=True)
m = x.max(dim=1)
out = m.values.sum()
out.backward()
