import torch
x = torch.tensor([1., 2., 3.])
a, b, c = x
print(a, b, c)
p, q = x
