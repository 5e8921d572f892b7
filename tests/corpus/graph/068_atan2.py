import torch
y = torch.tensor(1., requires_grad=True)
x = torch.tensor(2., requires_grad=True)
out = torch.atan2(y, x)
out.backward()
