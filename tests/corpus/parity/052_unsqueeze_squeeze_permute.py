import torch
x = torch.arange(6., requires_grad=True)
a = x.view(2, 3).unsqueeze(0)
print(a.shape)
b = a.squeeze()
print(b.shape)
c = b.permute(1, 0)
print(c.shape, c.grad_fn.name())
(c * torch.arange(6.).view(3, 2)).sum().backward()
x.grad
