import torch
a = torch.ones(2, requires_grad=True)
b = torch.tensor([5., 6., 7.], requires_grad=True)
c = torch.cat([a * 2, b])
out = (c * torch.arange(5.)).sum()
out.backward()
