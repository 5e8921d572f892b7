import torch
x = torch.tensor(2., requires_grad=True)
s = torch.tensor(0.)
for i in range(4):
    s = s + x * i
out = s
out.backward()
