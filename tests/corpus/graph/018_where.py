import torch
x = torch.tensor([-1., 2., -3., 4.], requires_grad=True)
out = torch.where(x > 0, x*2, x*x).sum()
out.backward()
