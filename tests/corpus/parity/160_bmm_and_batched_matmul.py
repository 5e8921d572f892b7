import torch
a = torch.arange(12.).view(2, 2, 3).requires_grad_()
b = torch.ones(2, 3, 1)
c = torch.bmm(a, b)
d = a @ b
print(c.shape, torch.equal(c, d))
c.sum().backward()
a.grad
