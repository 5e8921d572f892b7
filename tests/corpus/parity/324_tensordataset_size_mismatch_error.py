import torch
from torch.utils import data
ds = data.TensorDataset(torch.ones(3, 2), torch.ones(4))
