import torch
x = torch.tensor([0.5, 1.0], requires_grad=True)
a = x * 2
b = a.sin()
a.mul_(2)
print(a)
b.sum().backward()
