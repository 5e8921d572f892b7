import torch
x = torch.ones(4, requires_grad=True)
v = x.view(2, 2)
print(v.is_leaf, v.grad_fn.name())
v.mul_(2)
