import torch
x = torch.randn(2, 3, requires_grad=True)
f = x.t().contiguous().flatten()
out = (f * torch.arange(6.)).sum()
out.backward()
