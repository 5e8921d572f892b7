# notes: 001_b66eaa93a75ac302#20
# The input is 2x3x10x20, not the note's 8x3x50x100: its output would pass the playground's size limits.
import torch
from torch import nn
input = torch.randn(2, 3, 10, 20)
print(input.requires_grad)
# False

net = nn.Sequential(nn.Conv2d(3, 16, 3, 1),
                    nn.Conv2d(16, 32, 3, 1))
for param in net.named_parameters():
    param[1].requires_grad = False
    print(param[0], param[1].requires_grad)
# 0.weight False
# 0.bias False
# 1.weight False
# 1.bias False

output = net(input)
print(output.requires_grad)
# False
