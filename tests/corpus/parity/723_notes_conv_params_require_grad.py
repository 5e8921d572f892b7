# notes: 001_b66eaa93a75ac302#19
# The input is 2x3x10x20, not the note's 8x3x50x100: its output would pass the playground's size limits.
import torch
from torch import nn
input = torch.randn(2, 3, 10, 20)
print(input.requires_grad)
# False 默认不需要求导的

net = nn.Sequential(nn.Conv2d(3, 16, 3, 1),
                    nn.Conv2d(16, 32, 3, 1))
for param in net.named_parameters():
    print(param[0], param[1].requires_grad)
# 0.weight True
# 0.bias True
# 1.weight True
# 1.bias True

output = net(input)
print(output.requires_grad)
# True
