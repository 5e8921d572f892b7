import torch
x = torch.tensor([1., 2.], requires_grad=True)
buf = torch.zeros(2)
buf.copy_(x * 3)
out = buf.sum()
out.backward()
