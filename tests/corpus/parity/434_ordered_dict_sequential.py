import torch
from collections import OrderedDict
import torch.nn as nn

model = nn.Sequential(OrderedDict([
    ('fc1', nn.Linear(3, 4)),
    ('act', nn.ReLU()),
    ('fc2', nn.Linear(4, 1)),
]))
print(model)
x = torch.randn(2, 3)
out = model(x).sum()
out.backward()
g = model.fc1.weight.grad
