import torch
x = torch.arange(12.).reshape(3, 4)
print(x.sum())
print(x.sum(dim=0))
print(x.sum(dim=1, keepdim=True))
print(x.sum(1).shape, x.sum(1, keepdim=True).shape)
print(x.mean(dim=0))
