import torch
x = torch.tensor([1., 2.], requires_grad=True)
y = x.unsqueeze(1) * x.unsqueeze(0)
out = y.squeeze().sum()
out.backward()
