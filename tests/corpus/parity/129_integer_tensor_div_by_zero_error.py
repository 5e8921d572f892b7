import torch
a = torch.tensor([4, 6])
print(a / 0)
print(a // 2)
b = a // 0
