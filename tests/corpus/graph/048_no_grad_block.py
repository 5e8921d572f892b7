import torch
w = torch.tensor([1., 2.], requires_grad=True)
with torch.no_grad():
    scale = w * 10
out = (w * scale).sum()
out.backward()
