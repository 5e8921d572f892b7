import torch
x = torch.tensor([1., 2., 3.])
print(len(x))
s = x.sum()
print(len(s))
