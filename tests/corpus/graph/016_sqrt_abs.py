import torch
x = torch.tensor([-4., 9., 1.], requires_grad=True)
out = torch.sqrt(torch.abs(x)).sum()
out.backward()
