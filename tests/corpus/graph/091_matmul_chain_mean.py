import torch
A = torch.randn(3, 3, requires_grad=True)
x = torch.randn(3, 1)
y = A @ (A @ x)
out = y.mean()
out.backward()
