import torch
x = torch.arange(5.)
print(x[1:4])
print(x[:-1])
y = x[::-1]
