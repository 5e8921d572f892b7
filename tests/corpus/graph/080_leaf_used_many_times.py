import torch
x = torch.tensor(2., requires_grad=True)
out = x + x * x + x * x * x
out.backward()
