import torch
from torch.utils.data import Dataset, DataLoader


class Squares(Dataset):
    def __init__(self, n):
        self.n = n

    def __len__(self):
        return self.n

    def __getitem__(self, i):
        x = torch.tensor([float(i)])
        return x, x ** 2


ds = Squares(5)
print(len(ds), ds[3])
loader = DataLoader(ds, batch_size=2, shuffle=True)
for xb, yb in loader:
    print(xb.view(-1).tolist(), yb.view(-1).tolist())
