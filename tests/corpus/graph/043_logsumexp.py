import torch
x = torch.tensor([0.5, 1.5, -1.], requires_grad=True)
out = torch.logsumexp(x, dim=0)
out.backward()
