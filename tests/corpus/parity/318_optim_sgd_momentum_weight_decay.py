import torch
from torch import nn
net = nn.Linear(2, 1)
trainer = torch.optim.SGD(net.parameters(), lr=0.05, momentum=0.9, weight_decay=0.01)
X = torch.randn(8, 2)
y = X @ torch.tensor([[1.0], [-1.0]]) + 0.5
loss = nn.MSELoss()
for epoch in range(10):
    l = loss(net(X), y)
    trainer.zero_grad()
    l.backward()
    trainer.step()
print(l)
w = net.weight.data
b = net.bias.data
