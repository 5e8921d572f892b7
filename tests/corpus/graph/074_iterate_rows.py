import torch
M = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
s = torch.tensor(0.)
for row in M:
    s = s + row.prod()
out = s
out.backward()
