import torch
y = torch.zeros(3)
y[0] += 1
y[1:] -= 2
print(y)
x = torch.ones(2, 2, requires_grad=True)
z = x.clone()
z[0, 1] *= 5
z.sum().backward()
x.grad
