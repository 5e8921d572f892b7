import torch
torch.manual_seed(3)
i = torch.randint(0, 10, (5,))
p = torch.randperm(6)
n = torch.normal(0., 1., size=(2, 2))
print(i)
print(p)
print(n)
