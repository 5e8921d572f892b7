import torch
x = torch.randn(2, 3, requires_grad=True)
a = x.t()
b = x.transpose(0, 1)
c = x.unsqueeze(0).permute(2, 1, 0)
out = (a * b).sum() + c.sum()
out.backward()
