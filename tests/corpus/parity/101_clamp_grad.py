import torch
x = torch.tensor([-2., 0.5, 3.], requires_grad=True)
y = x.clamp(min=0., max=1.)
print(y)
y.sum().backward()
print(x.grad)
z = torch.clip(x, -1, 1)
z
