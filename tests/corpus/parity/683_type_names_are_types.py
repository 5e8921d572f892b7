import collections
from collections import OrderedDict

import torch

print(type([]) is list, type({}) == dict, type(()) is tuple, type(set()) is set)
print(type("a") is str, str(3), list("ab"), dict(a=1), tuple([1, 2]), set([1, 1]))
print(list, dict, str, OrderedDict)
od = OrderedDict(b=1, a=2)
print(type(od) is OrderedDict, type(od) is collections.OrderedDict, od)
layers = OrderedDict([("fc", torch.nn.Linear(2, 1)), ("act", torch.nn.Sigmoid())])
net = torch.nn.Sequential(layers)
print(type(net.state_dict()) is OrderedDict)
kind = type([1, 2])
print(kind((3, 4)), kind is list)
print([type(v) for v in (1, 1.0, "s", [1], (1,), {1: 2}, {1}, None)])
