import torch
a = torch.linspace(0, 1, steps=5)
b = torch.arange(0, 10, 3)
c = torch.eye(3)
d = torch.full((2, 2), 7.0)
e = torch.zeros_like(d)
f = torch.ones_like(b)
print(a, b, c, d, e, f, sep="\n")
