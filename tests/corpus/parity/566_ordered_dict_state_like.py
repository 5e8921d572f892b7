import torch
from collections import OrderedDict

d = OrderedDict()
d['w'] = torch.ones(2)
d['b'] = torch.zeros(1)
for k, v in d.items():
    print(k, v.shape)
print(list(d.keys()))
