import torch
x = torch.tensor([1., -2., 3.], requires_grad=True)
m = x < 0
out = x.masked_fill(m, 0.).pow(2).sum()
out.backward()
