import torch
x = torch.arange(6., requires_grad=True)
a, b = x.chunk(2)
c, d, e = x.split(2)
f, g = x.view(2, 3).unbind(0)
loss = (a * b).sum() + (c + d + e).sum() + (f * g).sum()
loss.backward()
x.grad
