import torch
from torch import nn
x = torch.linspace(-2, 2, 5, requires_grad=True)
r = nn.ReLU()(x)
s = nn.Sigmoid()(x)
t = nn.Tanh()(x)
p = nn.Softmax(dim=0)(x)
f = nn.Flatten()(torch.ones(2, 3, 4))
(r.sum() + s.sum() + t.sum() + p[0]).backward()
print(r, s, t, p, f.shape)
print(x.grad)
