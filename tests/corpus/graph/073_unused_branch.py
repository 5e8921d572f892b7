import torch
x = torch.tensor(4., requires_grad=True)
unused = x * 3
out = x + 1
out.backward()
