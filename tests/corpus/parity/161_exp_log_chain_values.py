import torch
x = torch.tensor([0.5, 1.0, 1.5], requires_grad=True)
y = torch.log(torch.exp(x) + 1)
z = torch.sin(y) * torch.cos(x)
z.sum().backward()
print(y)
print(z)
x.grad
