# grad_fn named as print(t.grad_fn) names it: CopySlices, CopyBackwards (C++ nodes whose name()
# is torch::autograd::...), next to the generated ones (MulBackward0).
import torch
x = torch.tensor([1., 2., 3.], requires_grad=True)
b = torch.zeros(3)
b[0] = x[0] * 2
c = torch.ones(3)
c.copy_(x)
d = x * 2
d[1:] = x[1:] ** 2
print(b.grad_fn.name(), c.grad_fn.name())
(b.sum() + c.sum() + d.sum()).backward()
