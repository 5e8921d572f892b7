import torch
x = torch.tensor([1., 2.], requires_grad=True)
y = torch.zeros(3, 2)
out = (x.expand_as(y) * 2).view_as(y).sum()
out.backward()
