import torch
x = torch.arange(12., requires_grad=True)
m = x.view(3, 4)
g = m.gather(1, torch.tensor([[0], [3], [1]]))
s = m.index_select(0, torch.tensor([2, 0]))
f = m.masked_fill(m > 6, 0.)
loss = g.sum() + s.sum() + f.sum()
loss.backward()
print(g.squeeze(), s.shape, f)
x.grad
