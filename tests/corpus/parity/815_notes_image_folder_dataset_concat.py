# notes: 004_57f8a590851dd438#40, 004_57f8a590851dd438#43, 004_57f8a590851dd438#44
# The note's folders of ant and bee photos are replaced by seeded data: os.listdir by a list of
# file names, Image.open by a seeded 8x12 RGB uint8 tensor (HWC, as np.array(img) has it), and
# os.path.join by joining with "/" (os is not a module the playground has).
import torch
from torch.utils.data import Dataset

FILES = {"ants_image": ["ant_%d.jpg" % i for i in range(5)],
         "bees_image": ["bee_%d.jpg" % i for i in range(3)]}


class MyDate(Dataset):
# 继承Dataset类需要
    def __init__(self, root_dir, label_dir):
        self.root_dir = root_dir
        self.label_dir = label_dir
        self.path = self.root_dir + "/" + self.label_dir
        self.img_path = FILES[self.label_dir]

    def __getitem__(self, idx): # idx 为传入的下表
        img_name = self.img_path[idx]
        img_item_path = self.root_dir + "/" + self.label_dir + "/" + img_name
        img = torch.randint(0, 256, (8, 12, 3), dtype=torch.uint8)
        label = self.label_dir
        return img, label

    def __len__(self):
        return len(self.img_path)

root_dir = "./dataset1/train"
ants_dir = "ants_image"
bees_dir = "bees_image"
ants_dataset = MyDate(root_dir, ants_dir)
bees_dataset = MyDate(root_dir, bees_dir)

train_dataset = ants_dataset + bees_dataset

img, label = bees_dataset[1]
# img.show()
print(len(ants_dataset))
print(len(bees_dataset))
print(len(train_dataset))
