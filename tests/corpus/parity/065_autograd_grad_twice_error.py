import torch
x = torch.tensor(1.5, requires_grad=True)
y = torch.sin(x) * x
g1 = torch.autograd.grad(y, x)
print(g1)
g2 = torch.autograd.grad(y, x)
