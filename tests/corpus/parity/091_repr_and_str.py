import torch
x = torch.tensor([0.1, 0.2], dtype=torch.float64)
print(repr(x))
print(str(x))
s = str(x.tolist())
s
print(x.view(2, 1).T)
print(torch.tensor(True), torch.tensor([1, 2], dtype=torch.int32))
