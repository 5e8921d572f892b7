import torch
import torch.nn.functional as F
x = torch.randn(4, 3)
t = torch.randn(4, 1)
W1 = torch.randn(3, 5, requires_grad=True)
b1 = torch.zeros(5, requires_grad=True)
W2 = torch.randn(5, 1, requires_grad=True)
b2 = torch.zeros(1, requires_grad=True)
h = F.relu(x @ W1 + b1)
pred = h @ W2 + b2
out = ((pred - t) ** 2).mean()
out.backward()
