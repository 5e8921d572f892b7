import torch
m = torch.arange(6.).view(3, 2)
for row in m:
    print(row, row.sum().item())
row
