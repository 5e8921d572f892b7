import torch

xs = [torch.tensor(v) for v in [1.0, -2.0, 3.0]]
print(any(x < 0 for x in xs), all(x.abs() > 0.5 for x in xs))
total = sum((x * 2 for x in xs), torch.tensor(0.0))
print(total, max(x.item() for x in xs))
