import torch
x = torch.tensor(1.0, requires_grad=True)
g = x.grad
print(g)
a, b = g
