import collections
from collections import OrderedDict

import torch
import torch.nn as nn

od = OrderedDict([("fc1", nn.Linear(2, 3)), ("act", nn.ReLU())])
print(isinstance(od, OrderedDict), isinstance(od, collections.OrderedDict))
print(isinstance(od, dict), isinstance({}, OrderedDict))
print(isinstance(od, (list, OrderedDict)))
net = nn.Sequential(od)
print(issubclass(nn.Linear, nn.Module), issubclass(type(net), nn.Sequential))
print(issubclass(OrderedDict, dict), issubclass(bool, (int, str)))
sd = net.state_dict()
print(isinstance(sd, OrderedDict), list(sd))
print(isinstance(torch.ones(1), torch.Tensor), isinstance(net[0].weight, nn.Parameter))
