import torch


class Base(torch.nn.Module):
    def __init__(self, n):
        super().__init__()
        self.lin = torch.nn.Linear(n, 1)

    def forward(self, x):
        return self.lin(x)


class Scaled(Base):
    def __init__(self, n, k):
        super().__init__(n)
        self.k = k

    def forward(self, x):
        return super().forward(x) * self.k


m = Scaled(2, 10.0)
out = m(torch.ones(3, 2))
out.mean().backward()
g = m.lin.weight.grad
print(isinstance(m, Base), isinstance(m, torch.nn.Module))
