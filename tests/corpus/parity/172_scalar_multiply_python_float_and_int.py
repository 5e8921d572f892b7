import torch
x = torch.tensor(2, dtype=torch.int32)
print(x * 1.5, (x * 1.5).dtype)
print(x + True, (x + True).dtype)
print(torch.tensor(1.0) + 1, torch.get_default_dtype())
