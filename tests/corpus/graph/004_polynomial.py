import torch
x = torch.tensor(2., requires_grad=True)
out = 3*x**3 - 2*x + 1
out.backward()
