import torch
from torch.utils import data
features = torch.arange(20.).reshape(10, 2)
labels = torch.arange(10.)
dataset = data.TensorDataset(features, labels)
loader = data.DataLoader(dataset, batch_size=4, shuffle=True)
print(len(dataset), len(loader))
for epoch in range(2):
    for X, y in loader:
        print(epoch, X.shape, y)
after = torch.rand(2)
