# Normalize a batch of images as a data pipeline does, and see that the gradient flows through
# it: (x - mean) / std per channel, so each input's gradient is 1 / std of its channel.
import torch
import torchvision.transforms as transforms

mean = [0.485, 0.456, 0.406]
std = [0.229, 0.224, 0.225]
normalize = transforms.Normalize(mean, std)
print(normalize)

x = torch.rand(2, 3, 4, 4, requires_grad=True)
y = normalize(x)
print(y.shape, y.mean(dim=(0, 2, 3)))
loss = y.pow(2).mean()
loss.backward()
grad_per_channel = x.grad.sum(dim=(0, 2, 3))
print(grad_per_channel)

plain = torch.rand(3, 2, 2)
unit = transforms.Normalize([0.5, 0.5, 0.5], [0.5, 0.5, 0.5])(plain)
print(unit.min() >= -1, unit.max() <= 1)
