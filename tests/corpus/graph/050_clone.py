import torch
x = torch.tensor([1., 2.], requires_grad=True)
c = x.clone()
out = (c * x).sum()
out.backward()
