import torch
x = torch.tensor([3., 4.], requires_grad=True)
out = x.norm()
out.backward()
