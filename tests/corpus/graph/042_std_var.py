import torch
x = torch.tensor([1., 2., 4., 8.], requires_grad=True)
out = x.std() + x.var()
out.backward()
