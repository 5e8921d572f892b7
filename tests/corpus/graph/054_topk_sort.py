import torch
x = torch.tensor([5., 1., 4., 3.], requires_grad=True)
t = x.topk(2)
s = x.sort()
out = t.values.sum() + (s.values * torch.arange(4.)).sum()
out.backward()
