import torch
x = torch.tensor(0.5, requires_grad=True)
h = torch.sin(x)
a = h * 2
b = h ** 2
out = a + b
out.backward()
