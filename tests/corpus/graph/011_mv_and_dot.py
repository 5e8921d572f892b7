import torch
A = torch.randn(3, 3, requires_grad=True)
v = torch.randn(3, requires_grad=True)
u = torch.mv(A, v)
out = torch.dot(u, v)
out.backward()
