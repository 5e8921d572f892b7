import torch

try:
    x = torch.ones(2) + torch.ones(3)
except ValueError:
    print("never")
