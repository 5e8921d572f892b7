import torch
from torch import nn
net = nn.Sequential(nn.Linear(2, 2), nn.Sigmoid())
net(torch.ones(1, 2)).sum().backward()
print(net[0].weight.grad)
net.zero_grad()
print(net[0].weight.grad)
print(net.training)
net.eval()
print(net.training, net[0].training)
net.train()
print(net.training)
net.requires_grad_(False)
print(net[0].weight.requires_grad)
