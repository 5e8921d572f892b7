import torch
x = torch.tensor(10.0, requires_grad=True)
y = x
n = 0
while n < 4:
    y = y / 2
    n += 1
else:
    print("halved", n, "times")
y.backward()
x.grad
