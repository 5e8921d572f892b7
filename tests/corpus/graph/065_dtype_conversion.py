import torch
x = torch.tensor([1.5, 2.5], requires_grad=True)
out = (x.double() * x.double()).sum().float()
out.backward()
