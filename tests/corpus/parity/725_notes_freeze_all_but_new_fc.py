# notes: 001_b66eaa93a75ac302#21
# torchvision.models.resnet18(pretrained=True) downloads a model: a small module with a conv body
# and an `fc` of 512 inputs stands in for it. The rest is the note's code.
import torch
from torch import nn, optim


class ResNetLike(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 512, 3)
        self.fc = nn.Linear(512, 1000)

    def forward(self, x):
        return self.fc(self.conv(x).mean(dim=(2, 3)))


model = ResNetLike()
for param in model.parameters():
    param.requires_grad = False

# 用一个新的 fc 层来取代之前的全连接层
# 因为新构建的 fc 层的参数默认 requires_grad=True
model.fc = nn.Linear(512, 100)

# 只更新 fc 层的参数
optimizer = optim.SGD(model.fc.parameters(), lr=1e-2, momentum=0.9)

# 通过这样，我们就冻结了 resnet 前边的所有层，
# 在训练过程中只更新最后的 fc 层中的参数。
out = model(torch.randn(2, 3, 8, 8)).sum()
out.backward()
optimizer.step()
print(model.conv.weight.grad, model.fc.weight.grad.shape)
