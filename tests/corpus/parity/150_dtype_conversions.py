import torch
x = torch.tensor([1.7, -2.3], requires_grad=True)
i = x.long()
h = x.double()
b = x.bool()
print(i, h, b, sep="\n")
print(h.requires_grad, h.grad_fn.name(), i.requires_grad)
y = x.to(torch.float64) * 2
y.sum().backward()
x.grad
