import torch
x = torch.arange(4.).view(2, 2)
r0, r1 = x
print(r0, r1)
a, b, c = x
