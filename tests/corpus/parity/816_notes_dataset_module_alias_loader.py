# notes: 004_57f8a590851dd438#41, 004_57f8a590851dd438#42, 004_57f8a590851dd438#45, 004_57f8a590851dd438#46, 004_57f8a590851dd438#47
# Dataset and DataLoader imported through their modules, as the note shows it, joined into one
# program: the class body is the note's MyDate with its folders replaced by seeded data (as in
# 815), `dataset` is one folder of it, and num_workers=4 is 0 (the playground loads data in the
# run itself; the batches are the same). The note's second loop is indented: it sits under the
# `if __name__ == '__main__':` the note recommends for DataLoader scripts.
import torch
import torch.utils.data.dataset as Dataset
import torch.utils.data.dataloader as DataLoader

FILES = {"ants_image": ["ant_%d.jpg" % i for i in range(5)]}


class MyDate(Dataset.Dataset):
    def __init__(self, root_dir, label_dir):
        self.root_dir = root_dir
        self.label_dir = label_dir
        self.img_path = FILES[self.label_dir]

    def __getitem__(self, idx):
        img = torch.randint(0, 256, (2, 3, 3), dtype=torch.uint8)
        label = self.label_dir
        return img, label

    def __len__(self):
        return len(self.img_path)


dataset = MyDate("./dataset1/train", "ants_image")
#创建DataLoader迭代器
dataloader = DataLoader.DataLoader(dataset,batch_size= 2, shuffle = False, num_workers= 0)
for step, (data, label) in enumerate(dataloader):
    print('step is :', step)
    # data, label = item
    print('data is {}, label is {}'.format(data, label))

if __name__ == '__main__':
    for i, item in enumerate(dataloader):
        print('i:', i)
        data, label = item
        print('data:', data)
        print('label:', label)
