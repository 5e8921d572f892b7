import torch
y = torch.zeros(3)
y[[0, 0, 2]] += 1
y
