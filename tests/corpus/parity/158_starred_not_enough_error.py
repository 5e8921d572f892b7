import torch
t = torch.tensor([1.])
a, *rest = t
print(a, rest)
a, b, *rest = t
