import torch
from torch import nn
layer = nn.Linear(3, 2)
layer
X = torch.ones(4, 3)
out = layer(X)
loss = out.sum()
loss.backward()
print(layer.weight.grad, layer.bias.grad)
w = layer.weight
b = layer.bias
print(layer.in_features, layer.out_features, w.shape, b.is_leaf)
