import torch
A = torch.randn(2, 2, 3, requires_grad=True)
B = torch.randn(2, 3, 2, requires_grad=True)
out = torch.bmm(A, B).sum()
out.backward()
