import torch
w = torch.arange(4.).requires_grad_()
out = (w**2 + 1).mean()
out.backward()
