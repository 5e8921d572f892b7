import torch
x = torch.tensor([10., 20., 30., 40.], requires_grad=True)
picked = x[[0, 2, 3]]
print(picked)
(picked * torch.tensor([1., 2., 3.])).sum().backward()
x.grad
