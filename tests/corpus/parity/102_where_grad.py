import torch
x = torch.tensor([-1., 2., -3., 4.], requires_grad=True)
y = torch.where(x > 0, x ** 2, -x)
print(y)
y.sum().backward()
x.grad
