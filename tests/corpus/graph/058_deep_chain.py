import torch
x = torch.tensor(0.1, requires_grad=True)
w = torch.tensor(0.9, requires_grad=True)
a = x * w
b = a + w
c = b.exp()
d = c * a
e = d - x
out = e.tanh()
out.backward()
