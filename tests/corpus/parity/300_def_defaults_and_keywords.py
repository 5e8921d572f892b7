import torch
def scale(x, factor=2.0, shift=0.0):
    return x * factor + shift
x = torch.tensor([1., 2.], requires_grad=True)
y = scale(x)
z = scale(x, 3.0)
u = scale(x, shift=1.0, factor=0.5)
print(y, z, u)
(y + z + u).sum().backward()
x.grad
