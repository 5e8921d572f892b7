import torch
ok = torch.tensor(2 ** 62)
print(ok, ok.dtype)
big = torch.tensor(2 ** 64)
