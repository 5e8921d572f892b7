import torch
from torch.utils import data
features = torch.tensor([[1, 2], [3, 4], [5, 6]])
labels = torch.tensor([1, 0, 1])
dataset = data.TensorDataset(*(features, labels))
for i in dataset:
    print(i)
print(dataset[1], len(dataset))
first, label = dataset[0]
print(dataset.tensors[1])
dataset[5]
