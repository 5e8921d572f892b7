import torch
from torch.utils.data import DataLoader, TensorDataset

x = torch.arange(8.0).reshape(8, 1)
y = x * 2
ds = TensorDataset(x, y)
loader = DataLoader(
    ds, batch_size=4, shuffle=True, generator=torch.Generator().manual_seed(0)
)
for epoch in range(2):
    for xb, yb in loader:
        print(epoch, xb.flatten().tolist(), yb.flatten().tolist())
same = DataLoader(
    ds, batch_size=4, shuffle=True, generator=torch.Generator().manual_seed(0)
)
print([b[0].flatten().tolist() for b in same])
print(loader.generator.initial_seed())
