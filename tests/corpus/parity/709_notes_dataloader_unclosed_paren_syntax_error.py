# notes: 000_24202b48501ea4cd#26
# The note's typo is kept: the call's parenthesis is never closed, so Python refuses the program.
import torch
from torch.utils import data

features = torch.tensor([[1,2],[3,4],[5,6]])
labels = torch.tensor([1,2,3])
dataset = data.TensorDataset(*(features,labels))

next(iter(data.DataLoader(dataset,1,shuffle = True))
#每次随机抛出一个,直至把所有的数据都抛出
