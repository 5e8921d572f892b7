import torch
u = torch.rand(2, 3)
g = torch.randn(2, 3)
print(u)
print(g)
g.mean(), g.std()
