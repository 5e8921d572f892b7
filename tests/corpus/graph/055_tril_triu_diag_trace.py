import torch
M = torch.randn(3, 3, requires_grad=True)
out = M.tril().sum() + M.triu(1).sum() * 2 + torch.diag(M).sum() + M.trace()
out.backward()
