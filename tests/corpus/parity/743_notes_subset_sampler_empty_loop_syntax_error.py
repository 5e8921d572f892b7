# notes: 001_b66eaa93a75ac302#55
# MyCustomDataset(my_path) reads files: a dataset of seeded tensors stands in for it. The note's
# loop ends with an empty body, so Python refuses the program (the block stops there).
import numpy as np
import torch
from torch.utils.data import Dataset
from torch.utils.data.sampler import SubsetRandomSampler


class MyCustomDataset(Dataset):
    def __init__(self, path):
        self.faces = torch.rand(20, 1, 4, 4)
        self.labels = torch.randint(0, 2, (20,))

    def __getitem__(self, index):
        return self.faces[index], self.labels[index]

    def __len__(self):
        return len(self.faces)


my_path = "faces/"
dataset = MyCustomDataset(my_path)
batch_size = 16
validation_split = .2
shuffle_dataset = True
random_seed= 42

# Creating data indices for training and validation splits:
dataset_size = len(dataset)
indices = list(range(dataset_size))
split = int(np.floor(validation_split * dataset_size))
if shuffle_dataset :
    np.random.seed(random_seed)
    np.random.shuffle(indices)
train_indices, val_indices = indices[split:], indices[:split]

# Creating PT data samplers and loaders:
train_sampler = SubsetRandomSampler(train_indices)
valid_sampler = SubsetRandomSampler(val_indices)

train_loader = torch.utils.data.DataLoader(dataset, batch_size=batch_size, 
                                           sampler=train_sampler)
validation_loader = torch.utils.data.DataLoader(dataset, batch_size=batch_size,
                                                sampler=valid_sampler)

# Usage Example:
num_epochs = 10
for epoch in range(num_epochs):
    # Train:   
    for batch_index, (faces, labels) in enumerate(train_loader):
      
