import torch
x = torch.arange(6., requires_grad=True).view(2, 3)
print(x.is_leaf, x.grad_fn.name())
y = x.transpose(0, 1)
z = x.mT
print(y.shape, torch.equal(y, z))
(y * torch.arange(6.).view(3, 2)).sum().backward()
