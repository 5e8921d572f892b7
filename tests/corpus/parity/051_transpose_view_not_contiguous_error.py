import torch
x = torch.arange(6.).view(2, 3)
t = x.t()
print(t.is_contiguous())
ok = t.contiguous().view(6)
print(ok)
bad = t.view(6)
