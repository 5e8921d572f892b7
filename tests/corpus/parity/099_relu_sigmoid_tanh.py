import torch
from torch import nn
x = torch.tensor([-1.0, 0.0, 2.0], requires_grad=True)
r = nn.functional.relu(x)
s = torch.sigmoid(x)
t = x.tanh()
(r + s + t).sum().backward()
print(r, s, t, sep="\n")
x.grad
