import torch


class Split(torch.nn.Module):
    def forward(self, x):
        return x[:, 0], x[:, 1]


m = Split()
x = torch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
a, b = m(x)
(a * b).sum().backward()
g = x.grad
