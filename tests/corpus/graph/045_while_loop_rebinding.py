import torch
x = torch.tensor(1.1, requires_grad=True)
h = x
n = 0
while n < 3:
    h = h * x
    n += 1
out = h
out.backward()
