import torch
x = torch.tensor([0., 1.], requires_grad=True)
y = x.exp()
y.add_(1)
print(y)
y.sum().backward()
