import torch
m = torch.arange(9.).view(3, 3).requires_grad_()
lo = torch.tril(m)
up = m.triu(1)
tr = torch.trace(m)
dg = m.diag()
print(lo, up, tr, dg, sep="\n")
(lo.sum() + up.sum() + tr + dg.sum()).backward()
m.grad
