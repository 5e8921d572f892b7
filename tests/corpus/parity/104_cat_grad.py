import torch
a = torch.ones(2, 2, requires_grad=True)
b = torch.zeros(1, 2, requires_grad=True)
c = torch.cat((a, 2 * b), 0)
print(c, c.shape)
(c * torch.arange(6.).view(3, 2)).sum().backward()
print(a.grad)
print(b.grad)
