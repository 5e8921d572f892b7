import torch
n = torch.arange(4)
print(n, n.dtype)
f = n.float()
f.requires_grad_(True)
n.requires_grad_(True)
