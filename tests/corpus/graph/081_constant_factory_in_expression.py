import torch
x = torch.tensor([1., 2., 3.], requires_grad=True)
out = (x * torch.tensor([2., 0., -1.]) + torch.ones(3)).sum()
out.backward()
