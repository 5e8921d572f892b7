import torch
x = torch.tensor([1., 2.], requires_grad=True)
a = x * 2
a.add_(1)
a.mul_(3)
out = a.sum()
out.backward()
