import torch
x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
g = x.gather(1, torch.tensor([[1], [0]]))
s = x.index_select(0, torch.tensor([1]))
out = g.sum() * s.sum()
out.backward()
