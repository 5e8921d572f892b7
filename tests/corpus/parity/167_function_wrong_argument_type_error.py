import torch
x = torch.tensor(2.0)
print(torch.exp(x))
y = torch.exp(2.0)
