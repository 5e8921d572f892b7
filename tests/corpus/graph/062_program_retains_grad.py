import torch
x = torch.tensor(3.0, requires_grad=True)
y1 = x + 1
y2 = 2*x
y2.retain_grad()
out = (y1 - y2)**2
out.backward()
