import torch
x = torch.arange(6.).requires_grad_()
a, b = x.split(3)
c, d = x.chunk(2)
p, q, r = a.unbind()
out = (a * d).sum() + b.sum() * c.sum() + p * q * r
out.backward()
