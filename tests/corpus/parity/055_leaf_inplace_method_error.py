import torch
x = torch.ones(3, requires_grad=True)
y = x + 1
y.add_(1)
print(y)
x.add_(1)
