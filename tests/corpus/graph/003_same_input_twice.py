import torch
x = torch.tensor(1.5, requires_grad=True)
out = x*x
out.backward()
