import torch
x = torch.tensor([1., 2., 3.], requires_grad=True)
out = x ** 2
out.backward(torch.tensor([1., 0.5, 2.]))
