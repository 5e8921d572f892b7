import torch


class M(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.scale = 3.0

    def forward(self, x):
        return x * self.scale


m = M()
x = torch.tensor([1.0, 2.0], requires_grad=True)
y = m.forward(x)
z = m(x)
(y + z).sum().backward()
g = x.grad
print(m.training)
m.eval()
print(m.training)
