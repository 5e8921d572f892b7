# Random transforms draw from torch's generator: seeded, the same flips and crops come back.
import torch
from torchvision import transforms

x = torch.arange(16.).view(1, 4, 4)
flip = transforms.RandomHorizontalFlip(p=0.5)
gen = torch.manual_seed(1)
first = [flip(x)[0, 0, 0].item() for _ in range(6)]
gen = torch.manual_seed(1)
again = [flip(x)[0, 0, 0].item() for _ in range(6)]
print(first, first == again)

vflip = transforms.RandomVerticalFlip(p=1.0)
flipped = vflip(x)

crop = transforms.RandomCrop(3, padding=1)
patch = crop(x)
print(patch)

resized_crop = transforms.RandomResizedCrop(5, scale=(0.5, 1.0))
print(resized_crop)
patch2 = resized_crop(x)
print(patch2.shape)
