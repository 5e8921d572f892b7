import torch
x = torch.tensor([-2., -1., 0., 1., 2.], requires_grad=True)
mask = x > 0
print(mask)
pos = x[mask]
print(pos)
pos.sum().backward()
print(x.grad)
