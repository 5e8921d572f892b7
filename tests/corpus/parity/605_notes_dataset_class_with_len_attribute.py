# notes: 004_57f8a590851dd438#24
import numpy as np
import torch
from torch.utils.data import Dataset, DataLoader


class DiabetesDataset(Dataset):
    def __init__(self):
        xy = np.random.rand(10, 9).astype(np.float32)
        self.len = xy.shape[0]
        self.x_data = torch.from_numpy(xy[:, :-1])
        self.y_data = torch.from_numpy(xy[:, [-1]])

    def __getitem__(self, index):
        return self.x_data[index], self.y_data[index]

    def __len__(self):
        return self.len


dataset = DiabetesDataset()
train_loader = DataLoader(dataset=dataset, batch_size=4, shuffle=True, num_workers=0)
for epoch in range(2):
    for i, (inputs, labels) in enumerate(train_loader, 0):
        print(epoch, i, inputs.shape, labels.shape)
