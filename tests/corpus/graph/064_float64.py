import torch
x = torch.tensor([1., 2.], dtype=torch.float64, requires_grad=True)
out = (x.exp() * 0.5).sum()
out.backward()
