import torch
a = torch.ones(2)
b = torch.ones(2, requires_grad=True)
c = a * 3
d = a + b
print(c.requires_grad, d.requires_grad)
print(c.grad_fn, d.grad_fn.name())
e = c.sum() + d.sum()
e.requires_grad
