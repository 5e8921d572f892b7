import torch

scale = lambda t, k=2.0: t * k
x = torch.tensor(1.5, requires_grad=True)
y = scale(x) + scale(x, k=4.0)
y.backward()
print(x.grad, scale)
z = scale()
