import torch
x = torch.arange(10., requires_grad=True)
y = x[2:8:2]
print(y)
z = (y ** 2).sum()
z.backward()
print(x.grad)
print(y.grad_fn.name())
