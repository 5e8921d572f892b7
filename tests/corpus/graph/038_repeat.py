import torch
x = torch.tensor([1., -1.], requires_grad=True)
out = (x.repeat(3) ** 2).sum()
out.backward()
