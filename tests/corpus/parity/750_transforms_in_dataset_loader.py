# Note 001's dataset with a transform (742), as it was meant to run: the Compose is made at the
# top level and passed in, and the loader's batches go through it one item at a time.
import torch
from torch.utils.data import Dataset, DataLoader
from torchvision import transforms


class ExperimentalDataset(Dataset):
    def __init__(self, data, transform):
        self.data = data
        self.transform = transform

    def __len__(self):
        return self.data.shape[0]

    def __getitem__(self, idx):
        item = self.data[idx]
        item = self.transform(item)
        return item


transform = transforms.Compose([
    transforms.ToPILImage(),
    transforms.RandomHorizontalFlip(),
    transforms.ToTensor(),
])

x = torch.rand(8, 1, 2, 2)
train_data = ExperimentalDataset(x, transform)
train_dataloader = DataLoader(train_data, batch_size=4, shuffle=True, num_workers=0)
for batch in train_dataloader:
    print(batch.shape, batch.sum())
last = batch
