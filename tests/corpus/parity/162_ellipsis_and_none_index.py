import torch
x = torch.arange(24.).view(2, 3, 4)
print(x[..., 0])
print(x[:, None, 0].shape)
print(x[1, ..., -1])
y = x[None]
y.shape
