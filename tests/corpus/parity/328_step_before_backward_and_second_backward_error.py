import torch
from torch import nn
net = nn.Linear(2, 1)
opt = torch.optim.SGD(net.parameters(), lr=0.1)
opt.step()
print(net.weight.grad)
l = net(torch.ones(3, 2)).sum()
l.backward()
opt.step()
l.backward()
