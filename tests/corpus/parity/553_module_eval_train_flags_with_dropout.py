import torch
import torch.nn as nn


class Net(nn.Module):
    def __init__(self):
        super(Net, self).__init__()
        self.fc = nn.Linear(4, 4)
        self.drop = nn.Dropout(p=0.5)

    def forward(self, x):
        return self.drop(self.fc(x))


net = Net()
x = torch.ones(2, 4)
a = net(x)
net.eval()
b = net(x)
c = net(x)
print(net.training, torch.equal(b, c))
