import torch
x = torch.tensor(1.0, requires_grad=True)
y = x
for k in reversed(range(1, 4)):
    y = y * k
for k in range(10, 0, -4):
    y = y + k
print(y)
y.backward()
x.grad
