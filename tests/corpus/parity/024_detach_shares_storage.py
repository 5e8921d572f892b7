import torch
a = torch.rand((3, 4), requires_grad=True)
b = a.detach()
print(a.requires_grad, b.requires_grad)
b[0][0] = 1
a[0][0]
print(b.is_leaf, a.is_leaf)
