import torch
x = torch.tensor([1., 2.])
ok = x.sum() > 0 and x.sum() < 10
print(ok)
both = x > 0 and x < 5
