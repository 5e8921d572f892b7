import torch
from torch import nn
net = nn.Sequential(nn.Linear(2, 1))
print(net[0].weight.shape)
net.weight
