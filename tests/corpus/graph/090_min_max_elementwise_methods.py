import torch
a = torch.tensor([1., 5.], requires_grad=True)
b = torch.tensor([3., 2.], requires_grad=True)
out = (a.maximum(b) - a.minimum(b)).sum()
out.backward()
