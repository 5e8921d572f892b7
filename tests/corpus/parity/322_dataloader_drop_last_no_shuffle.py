import torch
from torch.utils.data import TensorDataset, DataLoader
ds = TensorDataset(torch.arange(7.))
for batch in DataLoader(ds, 3):
    print(batch)
for batch in DataLoader(ds, batch_size=3, drop_last=True):
    print(batch)
for (x,) in DataLoader(ds, batch_size=10, shuffle=False):
    print(x)
