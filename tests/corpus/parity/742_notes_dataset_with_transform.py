# notes: 001_b66eaa93a75ac302#53
# Joined to the imports it needs. As indented in the note, `transform = ...` is a statement of the
# class's body.
import torch
from torch.utils.data import Dataset, DataLoader
from torchvision import transforms

# 自定义数据集
class experimental_dataset(Dataset):
		# 注意在这里的参数要有transform
    def __init__(self, data, transform):
        self.data = data
        self.transform = transform

    def __len__(self):
        return len(self.data.shape[0])

    def __getitem__(self, idx):
        item = self.data[idx]
        item = self.transform(item)
        return item
# ---------------------------------------------
   # 自定义数据增强函数
    transform = transforms.Compose([
        transforms.ToPILImage(),
        transforms.RandomHorizontalFlip(),
        transforms.ToTensor()
    ])

x = torch.rand(8, 1, 2, 2)

train_data = experimental_dataset(x, transform)
train_dataloader = DataLoader(train_data, batch_size=64, shuffle=True, num_workers=0)
