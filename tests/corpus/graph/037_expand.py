import torch
x = torch.tensor([[1.], [2.]], requires_grad=True)
e = x.expand(2, 3)
out = (e * torch.arange(6.).view(2, 3)).sum()
out.backward()
