import torch
a, b = torch.tensor(1., requires_grad=True), torch.tensor(2., requires_grad=True)
p, q = a * b, a + b
out = p * q
out.backward()
