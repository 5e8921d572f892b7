import torch

x = torch.tensor([1.0, 2.0])
x * 2
for i in range(3):
    x * i
if True:
    x + 1
x.sum()
