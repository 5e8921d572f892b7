import torch
a = torch.tensor([1., 5., 3.], requires_grad=True)
b = torch.tensor([4., 2., 3.], requires_grad=True)
hi = torch.maximum(a, b)
lo = torch.minimum(a, b)
(hi * 2 + lo).sum().backward()
print(hi, lo)
print(a.grad, b.grad)
