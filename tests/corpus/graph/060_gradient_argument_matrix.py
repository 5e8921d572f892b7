import torch
W = torch.randn(2, 2, requires_grad=True)
out = W @ W
out.backward(torch.ones(2, 2))
