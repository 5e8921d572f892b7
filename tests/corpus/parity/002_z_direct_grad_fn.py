import torch
x = torch.tensor(3., requires_grad=True)
y = torch.tensor(6., requires_grad=True)
z = 2*x + x*y
print(z)
print(z.grad_fn)
print(z.grad_fn.name())
z.backward()
print(x.grad, y.grad)
