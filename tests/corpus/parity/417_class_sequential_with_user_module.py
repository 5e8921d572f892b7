import torch
from torch import nn


class Square(nn.Module):
    def forward(self, x):
        return x * x


net = nn.Sequential(nn.Linear(2, 3), Square(), nn.Linear(3, 1))
x = torch.ones(4, 2)
y = net(x).sum()
y.backward()
print(net)
g = net[0].weight.grad
