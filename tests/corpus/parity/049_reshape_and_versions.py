import torch
base = torch.zeros(2, 3)
flat = base.view(6)
flat[0] = 5.
print(base)
flat.add_(1)
base
r = base.reshape(3, 2)
r.mul_(2)
print(flat)
