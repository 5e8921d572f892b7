import torch


class Box:
    pass


b = Box()
b.value = torch.ones(2)
print(type(b) is Box, isinstance(b, Box))
print(Box)
t = b.value * 2
