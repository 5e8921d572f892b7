import torch
from torch import nn
net = nn.Sequential(nn.Linear(2, 1))
net[0].weight.data.normal_(0, 0.01)
net[0].bias.data.fill_(0)
print(net[0].weight, net[0].bias)
layer = nn.Linear(3, 2)
nn.init.normal_(layer.weight, mean=0, std=0.01)
nn.init.zeros_(layer.bias)
nn.init.constant_(layer.weight, 0.5)
nn.init.ones_(layer.bias)
print(layer.weight, layer.bias)
p = nn.Parameter(torch.ones(2))
p
