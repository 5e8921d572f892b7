import torch

x = torch.tensor([0.25, 1.0, 4.0], requires_grad=True)
y = x.clone()
y.floor_()
y.sum().backward()
print(y, x.grad)
x.floor_()
