import torch
x = torch.tensor([1., -3.], requires_grad=True)
out = torch.sub(torch.square(x), torch.neg(x)).sum()
out.backward()
