import torch
x = torch.tensor([-1., 0.5, 2.], requires_grad=True)
h = torch.tanh(x) + torch.sigmoid(x)
out = torch.relu(h - 0.5).sum()
out.backward()
