import torch
x = torch.zeros(2, 3)
v = x.view(6)
v[0] = 1.
print(x)
x.add_(1)
print(v)
