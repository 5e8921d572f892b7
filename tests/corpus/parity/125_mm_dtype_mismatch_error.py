import torch
a = torch.ones(2, 2, dtype=torch.long)
b = torch.ones(2, 2)
print(a + b)
c = torch.mm(a, b)
