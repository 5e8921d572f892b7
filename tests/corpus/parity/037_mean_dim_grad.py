import torch
x = torch.arange(6., requires_grad=True)
m = x.view(2, 3).mean(dim=1)
m
s = m.sum()
s.backward()
x.grad
