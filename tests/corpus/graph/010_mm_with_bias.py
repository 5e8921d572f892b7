import torch
X = torch.randn(4, 3)
W = torch.randn(3, 2, requires_grad=True)
b = torch.zeros(2, requires_grad=True)
y = torch.mm(X, W) + b
out = y.pow(2).mean()
out.backward()
