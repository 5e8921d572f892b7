import torch
import torch.nn as nn

conv = nn.Conv2d(in_channels=3, out_channels=2, kernel_size=3, padding=1, stride=2)
pool = nn.MaxPool2d(kernel_size=2)
x = torch.randn(1, 3, 8, 8)
y = conv(x)
z = pool(y)
print(y.shape, z.shape, conv.in_channels, conv.out_channels, conv.kernel_size)
