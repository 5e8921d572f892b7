import torch


class Quadratic:
    def __init__(self, a, b, c):
        self.a = a
        self.b = b
        self.c = c

    def value(self, x):
        return self.a * x ** 2 + self.b * x + self.c

    def slope(self, x):
        x = x.detach().requires_grad_(True)
        y = self.value(x)
        y.backward()
        return x.grad


q = Quadratic(1.0, -2.0, 3.0)
x = torch.tensor(4.0)
s = q.slope(x)
print(s)
y = q.value(x)
