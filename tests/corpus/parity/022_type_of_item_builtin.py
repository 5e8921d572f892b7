import torch
x = torch.randn(1, requires_grad=True)
y = x.item()
print(y, type(y))
