# notes: 004_57f8a590851dd438#55, 004_57f8a590851dd438#62, 004_57f8a590851dd438#64
# The note's photo (PIL's Image.open of a 940x940 jpg) is a seeded 32x32 RGB uint8 image here, and
# torchvision's transforms are the lines they run on it: ToTensor turns an HWC uint8 image into a
# CHW float tensor in [0, 1], Normalize computes (input[channel] - mean[channel]) / std[channel].
# The writer.add_image lines (tensorboard log files) are left out.
import torch


def ToTensor():
    return lambda pic: pic.permute(2, 0, 1).contiguous().float().div(255)


def Normalize(mean, std):
    mean = torch.tensor(mean).view(-1, 1, 1)
    std = torch.tensor(std).view(-1, 1, 1)
    return lambda tensor: (tensor - mean) / std


img = torch.randint(0, 256, (32, 32, 3), dtype=torch.uint8)

# 1、transforms该如何使用Python？
tensor_trans = ToTensor() # 可以直接命名一个变量为Transforms的一个类
tensor_img = tensor_trans(img)

print(tensor_img)

trans_totensor = ToTensor() # 实例化ToTensor类
img_tensor = trans_totensor(img)

# Normalize
print(img_tensor[0][0][0])
trans_norm = Normalize([0.5, 0.5, 0.5], [0.5, 0.5, 0.5])
img_norm = trans_norm(img_tensor)
print(img_norm[0][0][0])

trans_norm = Normalize([0.4, 0.2, 0.1], [0.6, 0.8, 0.9])
img_norm = trans_norm(img_tensor)
print(img_norm[0][0][0])
