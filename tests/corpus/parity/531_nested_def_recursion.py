import torch


def power(x, n):
    def go(k):
        if k == 0:
            return torch.ones_like(x)
        return x * go(k - 1)
    return go(n)


x = torch.tensor(1.5, requires_grad=True)
y = power(x, 4)
y.backward()
print(y, x.grad)
