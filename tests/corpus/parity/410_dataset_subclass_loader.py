import torch
from torch.utils.data import Dataset, DataLoader


class DiabetesDataset(Dataset):
    def __init__(self):
        torch.manual_seed(1)
        self.x_data = torch.randn(10, 8)
        self.y_data = (torch.rand(10, 1) > 0.5).float()
        self.len = self.x_data.shape[0]

    def __getitem__(self, index):
        return self.x_data[index], self.y_data[index]

    def __len__(self):
        return self.len


dataset = DiabetesDataset()
train_loader = DataLoader(dataset=dataset, batch_size=4, shuffle=True)
print(len(dataset))
for i, data in enumerate(train_loader, 0):
    inputs, labels = data
    print(i, inputs.shape, labels.shape)
