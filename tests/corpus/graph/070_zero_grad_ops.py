import torch
x = torch.tensor([1.5, -2.5], requires_grad=True)
out = (torch.floor(x) + torch.sign(x) + torch.round(x) + x).sum()
out.backward()
