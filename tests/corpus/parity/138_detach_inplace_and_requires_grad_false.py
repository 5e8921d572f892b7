import torch
x = torch.tensor([1., 2.], requires_grad=True)
y = x * 2
y.detach_()
print(y.requires_grad, y.is_leaf, y.grad_fn)
x.requires_grad = False
print(x.requires_grad)
x.requires_grad_()
