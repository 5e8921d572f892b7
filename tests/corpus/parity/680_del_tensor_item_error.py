import torch

t = torch.arange(4.0)
items = t.tolist()
del items[0]
print(items)
del t[0]
