import torch
x = torch.tensor([1.5])
print(float(x), int(x))
y = torch.tensor([1.5, 2.5])
print(float(y))
