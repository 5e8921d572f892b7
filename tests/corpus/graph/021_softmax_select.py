import torch
x = torch.tensor([1., 2., 3.], requires_grad=True)
p = torch.softmax(x, dim=0)
out = p[2]
out.backward()
