import torch
x = torch.tensor([3, -1, 4, -1, 5])
neg = x < 0
print(neg.sum(), neg.dtype)
print(x ** 2)
print(x.float().mean())
print(torch.tensor([2]) ** torch.tensor([10]))
