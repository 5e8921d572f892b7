import torch
import torch.nn as nn


class Net(nn.Module):
    def __init__(self, n_in, n_hidden):
        super().__init__()
        self.fc1 = nn.Linear(n_in, n_hidden)
        self.fc2 = nn.Linear(n_hidden, 1)

    def forward(self, x):
        h = torch.relu(self.fc1(x))
        return torch.sigmoid(self.fc2(h))


net = Net(3, 4)
x = torch.randn(5, 3)
out = net(x)
out.sum().backward()
g = net.fc1.weight.grad
print(net)
print(sum(p.numel() for p in [net.fc1.weight, net.fc1.bias]))
