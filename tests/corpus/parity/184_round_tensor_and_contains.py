import torch
t = torch.tensor(2.567)
print(round(t.item(), 2))
print(2 in torch.tensor([1, 2, 3]))
print(5 in torch.tensor([1, 2, 3]))
print(len(t.shape), t.dim())
