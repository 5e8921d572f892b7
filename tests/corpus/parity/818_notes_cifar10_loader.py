# notes: 004_57f8a590851dd438#71, 004_57f8a590851dd438#73
# torchvision.datasets.CIFAR10 (a download, images made tensors by ToTensor) is replaced by a
# Dataset of 10 seeded pairs of its shapes: a 3x32x32 float image in [0, 1] and a class 0..9.
import torch
from torch.utils.data import Dataset
from torch.utils.data import DataLoader


class CIFAR10(Dataset):
    def __init__(self, size):
        self.images = torch.rand(size, 3, 32, 32)
        self.targets = torch.randint(0, 10, (size,)).tolist()

    def __getitem__(self, index):
        return self.images[index], self.targets[index]

    def __len__(self):
        return len(self.targets)


# 准备的测试数据集
test_data = CIFAR10(10)

'''
dataset：指定数据集
batch_size：批次大小
shuffle：是否随机抽取
num_workers：有多少子进程参与数据集加载
drop_last：比如数据集有100个，一批次有3个，最后剩下一个，如果drop_last=False,那么最后一个就不要了，如果drop_last=True,那么最后一个还要
'''
test_loader = DataLoader(dataset=test_data, batch_size=4, shuffle=True, num_workers=0, drop_last=False)

# 测试数据集中的第一张图片以及target
img, target = test_data[0]
print(img.shape)
print(target)

# 而这里test_laoder其实就是分批取得的数据，我们可以实际展示出来：
for data in test_loader:
    imgs, targets = data
    print(imgs.shape)
    print(targets)
