import torch
from torch.utils.data import Dataset, DataLoader


class Broken(Dataset):
    def __len__(self):
        return 3

    def __getitem__(self, i):
        return torch.ones(2) / undefined


for batch in DataLoader(Broken(), batch_size=2):
    print(batch)
