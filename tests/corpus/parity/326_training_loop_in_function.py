import torch
from torch import nn
def train(net, X, y, epochs, lr=0.1):
    loss = nn.MSELoss()
    trainer = torch.optim.SGD(net.parameters(), lr=lr)
    history = []
    for epoch in range(epochs):
        l = loss(net(X), y)
        trainer.zero_grad()
        l.backward()
        trainer.step()
        history.append(round(l.item(), 4))
    return history
X = torch.randn(10, 3)
y = X.sum(dim=1, keepdim=True)
net = nn.Sequential(nn.Linear(3, 1))
print(train(net, X, y, 5))
print(train(net, X, y, epochs=3, lr=0.01))
weight = net[0].weight
