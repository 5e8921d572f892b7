import torch
loss = torch.tensor([0.5, 0.25, 0.125])
print(loss.sum().item())
print(loss.item())
