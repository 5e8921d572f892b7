import torch
a = torch.tensor([1., 2.])
b = a * 2
s = b.sum()
print(s, s.requires_grad)
s.backward()
