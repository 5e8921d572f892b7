import torch
a = torch.tensor(1., requires_grad=True)
b = torch.tensor(2., requires_grad=True)
s = torch.stack([a, b, a * b])
out = s.prod()
out.backward()
