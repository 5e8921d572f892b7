import torch
x = torch.tensor(2., requires_grad=True)
s = x * 1
s += x
s *= x
out = s
out.backward()
