import torch
x = torch.tensor(2., requires_grad=True)
y = torch.tensor(5., requires_grad=True)
out = torch.mul(torch.add(x, y, alpha=2), torch.div(y, x))
out.backward()
