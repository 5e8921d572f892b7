import torch

a = torch.tensor([-1.0, 0.5, 2.0])
a.relu_()
b = torch.tensor([0.0, 1.0])
b.sin_().cos_()
c = torch.tensor([1.0, 4.0])
torch.sqrt_(c)
torch.exp_(c)
print(a, b, c)
w = torch.tensor([1.0, 2.0], requires_grad=True)
v = w.sigmoid_()
