import torch
x = torch.tensor(2., requires_grad=True)
out = torch.exp2(x) + torch.log2(x) + torch.log10(x)
out.backward()
