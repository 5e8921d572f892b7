import torch

_, idx = torch.tensor([3.0, 1.0, 2.0]).max(dim=0)
print(idx, _)
for _ in range(2):
    _ = _ + 1
print(_)
