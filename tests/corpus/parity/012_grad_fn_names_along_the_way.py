import torch
x = torch.tensor([1.,2.],requires_grad=True)
print(x)
print(x.grad_fn)
y = x + 1
print(y)
print(y.grad_fn)
z = y ** 2
print(z.grad_fn)
