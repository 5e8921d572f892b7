import torch
x = torch.tensor(2., requires_grad=True)
p = torch.tensor(3., requires_grad=True)
out = x ** p
out.backward()
