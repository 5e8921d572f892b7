import torch

a = torch.tensor([-1.0, 1.0])
torch.relu_(a)
b = torch.tensor([0.0, 1.0])
torch.sigmoid_(b)
torch.tanh_(b)
print(a, b)
