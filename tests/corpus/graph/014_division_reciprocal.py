import torch
x = torch.tensor([1., 2., 4.], requires_grad=True)
y = torch.tensor([2., 3., 5.], requires_grad=True)
out = (x / y + y.reciprocal()).sum()
out.backward()
