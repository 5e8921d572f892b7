import torch
a = torch.tensor([1., 2.], requires_grad=True)
b = torch.tensor([3., 4., 5.], requires_grad=True)
out = torch.outer(a, b).sum()
out.backward()
