import torch
torch.manual_seed(42)
a = torch.rand(3)
torch.manual_seed(42)
b = torch.rand(3)
print(torch.equal(a, b))
c = torch.rand(3)
print(torch.equal(a, c))
