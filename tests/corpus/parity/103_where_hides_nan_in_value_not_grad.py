import torch
x = torch.tensor([0., 1.], requires_grad=True)
y = torch.where(x > 0, torch.log(x), torch.zeros(2))
print(y)
y.sum().backward()
print(x.grad)
