import torch
w = torch.tensor([0.5, 1.5], requires_grad=True)
out = (w * torch.ones(2, requires_grad=True)).sum()
out.backward()
