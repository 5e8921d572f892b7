import torch
import torch.nn as nn


class MLP(nn.Module):
    def __init__(self, sizes):
        super().__init__()
        self.layers = nn.Sequential(*[nn.Linear(a, b) for a, b in zip(sizes, sizes[1:])])

    def forward(self, x):
        return self.layers(x)


net = MLP([3, 5, 2])
x = torch.randn(4, 3)
out = net(x)
out.pow(2).mean().backward()
print([tuple(p.grad.shape) for p in net.parameters()])
