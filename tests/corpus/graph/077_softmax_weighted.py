import torch
x = torch.tensor([[1., 2.], [0., -1.]], requires_grad=True)
p = torch.softmax(x, dim=1)
out = (p * torch.tensor([[1., 2.], [3., 4.]])).sum()
out.backward()
