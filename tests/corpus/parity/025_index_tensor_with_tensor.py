import torch

x = torch.tensor([3,2])
y = torch.tensor([6,68,98,328])

y[x]
