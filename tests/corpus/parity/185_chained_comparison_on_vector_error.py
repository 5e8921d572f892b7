import torch
x = torch.tensor([0.5, 1.5, 2.5])
print(0 < x[0] < 1)
inside = 0 < x < 2
