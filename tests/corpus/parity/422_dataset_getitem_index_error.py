import torch
from torch.utils.data import Dataset


class Tiny(Dataset):
    def __init__(self):
        self.items = [torch.tensor(1.0), torch.tensor(2.0)]

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        return self.items[i]


d = Tiny()
print(d[0], len(d))
v = d[5]
