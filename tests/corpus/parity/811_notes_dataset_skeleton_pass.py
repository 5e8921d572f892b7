# notes: 004_57f8a590851dd438#23
# The note's Dataset skeleton, made and used: its methods return None.
from torch.utils.data import Dataset


class DiabetesDataset(Dataset):
    def __init__(self):
        pass

    def __getitem__(self, item): # 类似于之间讲过的__call()__魔法方法，以后可以利用[i]索引到数据
        pass

    def __len__(self): # 魔法方法，返回Dataset的长度
        pass


dataset = DiabetesDataset()
print(dataset[0])
len(dataset)
