import torch
a = torch.tensor(1.0, requires_grad=True)
b = torch.tensor(2.0, requires_grad=True)
s = torch.stack([a, b * 2, a * b])
print(s)
s.backward(torch.tensor([1., 1., 1.]))
print(a.grad, b.grad)
