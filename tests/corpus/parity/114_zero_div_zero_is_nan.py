import torch
a = torch.tensor([0., 1., -1.], requires_grad=True)
b = torch.tensor([0., 0., 0.])
c = a / b
print(c)
c.sum().backward()
a.grad
