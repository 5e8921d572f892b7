import torch
from torch.utils.data import TensorDataset, DataLoader

ds = TensorDataset(torch.arange(6.).reshape(6, 1), torch.arange(6))
loader = DataLoader(ds, batch_size=2)
X, y = next(iter(loader))
print(X, y)
a = torch.ones(2)
b = a
print(id(a) == id(b), id(a) == id(a.clone()))
