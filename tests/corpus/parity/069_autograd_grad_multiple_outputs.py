import torch
a = torch.tensor([1., 2.], requires_grad=True)
b = torch.tensor([3., 4.], requires_grad=True)
out = (a * b).sum()
ga, gb = torch.autograd.grad(out, (a, b))
ga
gb
