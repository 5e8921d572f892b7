import torch
x = torch.tensor([0., 1., 2.], requires_grad=True)
y = torch.log(x)
print(y)
y.sum().backward()
print(x.grad)
