import torch
a = torch.tensor([1., 5., 3.], requires_grad=True)
b = torch.tensor([2., 4., 3.5], requires_grad=True)
out = (torch.maximum(a, b) * torch.minimum(a, b)).sum()
out.backward()
