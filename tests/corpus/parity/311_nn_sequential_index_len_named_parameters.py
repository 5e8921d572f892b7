import torch
from torch import nn
net = nn.Sequential(nn.Linear(2, 4), nn.ReLU(), nn.Linear(4, 1))
print(net)
print(len(net), net[1], net[2])
for name, param in net.named_parameters():
    print(name, param.shape, param.requires_grad)
print(len(list(net.parameters())), list(net.parameters())[1].shape)
y = net(torch.randn(5, 2))
y
first = net[0].weight
