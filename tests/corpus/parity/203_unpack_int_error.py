import torch
n = torch.tensor(3).item()
print(n)
rows, cols = n
