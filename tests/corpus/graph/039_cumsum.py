import torch
x = torch.tensor([1., 2., 3.], requires_grad=True)
out = torch.cumsum(x, dim=0).sum()
out.backward()
