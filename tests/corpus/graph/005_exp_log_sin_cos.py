import torch
x = torch.tensor(0.7, requires_grad=True)
a = torch.exp(x)
b = torch.log(a + 1)
out = torch.sin(b) * torch.cos(x)
out.backward()
