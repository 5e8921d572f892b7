import torch.nn as nn


class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 2, 3)
        self.pool = nn.MaxPool2d(2)

    def forward(self, x):
        return self.pool(self.conv(x))


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.block = Block()
        self.head = nn.Sequential(nn.Flatten(), nn.Linear(8, 2))

    def forward(self, x):
        return self.head(self.block(x))


net = Net()
for name, module in net.named_modules():
    print(repr(name), type(module))
print([type(c) for c in net.children()])
print([name for name, _ in net.named_children()])
print(len(list(net.modules())))
print(sum(p.numel() for p in net.parameters()))
print(list(net.buffers()), list(net.named_buffers()))
