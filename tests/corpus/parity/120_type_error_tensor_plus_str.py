import torch
x = torch.tensor([1., 2.])
label = "loss: "
print(label + str(x.sum().item()))
print(label + x.sum())
