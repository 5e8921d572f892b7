import torch
x = torch.tensor([1, 2, 3, 4])
print(x.sum())
m = x.mean()
