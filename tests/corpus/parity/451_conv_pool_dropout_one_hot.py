import torch
import torch.nn as nn
import torch.nn.functional as F


class Net(nn.Module):
    def __init__(self):
        super(Net, self).__init__()
        self.conv1 = nn.Conv2d(1, 4, kernel_size=3)
        self.pool = nn.MaxPool2d(2)
        self.drop = nn.Dropout(0.5)
        self.fc = nn.Linear(4 * 3 * 3, 3)

    def forward(self, x):
        batch_size = x.size(0)
        x = F.relu(self.pool(self.conv1(x)))
        x = self.drop(x)
        x = x.view(batch_size, -1)
        return self.fc(x)


model = Net()
x = torch.randn(2, 1, 8, 8)
target = torch.tensor([0, 2])
out = model(x)
loss = F.cross_entropy(out, target)
loss.backward()
print(round(model.conv1.weight.grad.abs().sum().item(), 3))
print(out.shape, F.one_hot(target, num_classes=3))
p = F.max_pool2d(torch.arange(16.).reshape(1, 1, 4, 4), 2)
model.eval()
with torch.inference_mode():
    y = model(x)
print(y.requires_grad, torch.cuda.is_available())
nll = nn.NLLLoss()(F.log_softmax(out, dim=1), target)
