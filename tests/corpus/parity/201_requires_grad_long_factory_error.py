import torch
f = torch.zeros(3, dtype=torch.float64, requires_grad=True)
print(f)
n = torch.zeros(3, dtype=torch.long, requires_grad=True)
