import torch
x = torch.tensor([1., 2.], requires_grad=True)
y = x * 1
y += 1
y *= 3
print(y, y.grad_fn.name())
y.sum().backward()
print(x.grad)
