import torch

a = torch.ones(2)
try:
    b = a.view(3)
except ValueError:
    print("not this one")
print("unreached")
