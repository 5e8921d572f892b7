import torch
a = torch.tensor([1., 2.], dtype=torch.float64, requires_grad=True)
b = torch.tensor([3., 4.])
c = a * b
print(c)
print(c.dtype)
c.sum().backward()
print(a.grad, a.grad.dtype)
