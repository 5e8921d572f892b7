import torch
v = torch.tensor([float("inf"), -float("inf"), float("nan"), 1.0])
print(v)
print(torch.isnan(v), torch.isfinite(v))
big = torch.exp(torch.tensor(100., requires_grad=True))
big.backward()
big
