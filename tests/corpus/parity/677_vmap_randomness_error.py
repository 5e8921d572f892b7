import torch
from torch.func import vmap

x = torch.ones(4, 2)
print(vmap(lambda r: r * 2)(x))
noisy = vmap(lambda r: r + torch.randn(2))(x)
