import torch
x = torch.tensor([1., 2.])
k = 0
while x.norm() < 100:
    x = x * 2
    k += 1
print(k, x)
while x < 1000:
    x = x * 2
