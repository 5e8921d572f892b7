import torch
import torch.nn.functional as F
x = torch.randn(2, 3)
W = torch.randn(4, 3, requires_grad=True)
b = torch.randn(4, requires_grad=True)
out = F.linear(x, W, b).sum()
out.backward()
