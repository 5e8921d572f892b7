import torch
x = torch.randn(2, 3)
p = torch.softmax(x, dim=1)
print(p.sum(dim=1))
q = torch.softmax(x, dim=2)
