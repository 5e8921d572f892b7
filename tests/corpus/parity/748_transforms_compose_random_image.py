# A Compose on a random image tensor, as teaching code builds one: to a PIL image, resized,
# cropped, to grey, and back to a float tensor in [0, 1]; then ToTensor of an HWC uint8 array.
import numpy as np
import torch
from torchvision import transforms

img = torch.rand(3, 20, 30)
pipeline = transforms.Compose([
    transforms.ToPILImage(),
    transforms.Resize(10),
    transforms.CenterCrop(8),
    transforms.Grayscale(num_output_channels=1),
    transforms.ToTensor(),
])
print(pipeline)
out = pipeline(img)
print(out.shape, out.dtype)

pil = transforms.ToPILImage()(img)
print(pil.size, pil.mode)
small = transforms.Resize((6, 9))(img)
print(small.shape)

pixels = np.random.randint(0, 256, size=(4, 5, 3)).astype(np.float32)
as_tensor = transforms.ToTensor()(pixels)
print(as_tensor.shape)
crop = transforms.CenterCrop(3)(as_tensor)
