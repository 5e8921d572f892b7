import torch
from collections import OrderedDict

w = torch.tensor([1.0, 2.0], requires_grad=True)
loss = (w**2).sum()
loss.backward()
print(w.grad)
del w.grad
print(w.grad)

layers = ["conv", "relu", "pool", "fc"]
del layers[1]
del layers[-2:]
print(layers)

cfg = OrderedDict(lr=0.1, momentum=0.9, nesterov=True)
del cfg["nesterov"]
print(cfg)

tmp = torch.ones(3)
a, b = 1, 2
del tmp, a
try:
    print(tmp)
except NameError as e:
    print("NameError:", e)
print(b)


class Box:
    def __init__(self):
        self.value = torch.zeros(2)
        self.cache = [1, 2]


box = Box()
del box.cache
try:
    print(box.cache)
except AttributeError as e:
    print("AttributeError:", e)
print(box.value)
