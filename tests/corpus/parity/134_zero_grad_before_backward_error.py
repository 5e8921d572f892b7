import torch
a = torch.tensor([1., 2.], requires_grad=True)
for i in range(2):
    a.grad.zero_()
    (a * a).sum().backward()
