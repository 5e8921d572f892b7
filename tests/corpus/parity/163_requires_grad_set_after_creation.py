import torch
x = torch.ones(2)
x.requires_grad = True
y = (x * 4).sum()
y.backward()
print(x.grad, x.is_leaf)
