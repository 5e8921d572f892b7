import torch
x = torch.tensor([0., 2.], requires_grad=True)
r = x.reciprocal()
print(r)
r.sum().backward()
x.grad
