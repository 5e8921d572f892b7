import torch
def power(x, n):
    if n == 0:
        return torch.ones_like(x)
    return x * power(x, n - 1)
x = torch.tensor(2.0, requires_grad=True)
y = power(x, 5)
y.backward()
print(y, x.grad)
def depth(n):
    if n == 0:
        return 0
    return 1 + depth(n - 1)
print(depth(45))
