import torch


class Net(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = torch.nn.Linear(3, 2)

    def forward(self, x):
        h = self.fc(x)
        return h @ h


net = Net()
out = net(torch.ones(4, 3))
