# dict.update and list.extend as teaching code uses them (the notes' state_dict merge): from a
# dict, pairs, keywords, a tensor's rows, itself; then Python's own error for a non-iterable.
import torch
from collections import OrderedDict

d = {"a": 1}
d.update({"b": 2}, c=3)
d.update([("e", 5)])
state = OrderedDict(w=torch.ones(2))
state.update({"b": torch.zeros(1)})
print(d, list(state.keys()))
l = [1]
l.extend((2, 3))
l.extend(torch.arange(3.0))
l.extend(l)
print(len(l), l[:3])
d.update(5)
