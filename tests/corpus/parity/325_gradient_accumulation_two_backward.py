import torch
from torch import nn
net = nn.Linear(2, 1)
loss = nn.MSELoss(reduction='sum')
X = torch.randn(6, 2)
y = torch.randn(6, 1)
trainer = torch.optim.SGD(net.parameters(), lr=0.01)
trainer.zero_grad()
loss(net(X[:3]), y[:3]).backward()
first = net.weight.grad.clone()
loss(net(X[3:]), y[3:]).backward()
summed = net.weight.grad.clone()
trainer.step()
print(first, summed)
w = net.weight
