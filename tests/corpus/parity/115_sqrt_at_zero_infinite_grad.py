import torch
x = torch.tensor([0., 4.], requires_grad=True)
y = torch.sqrt(x)
y.sum().backward()
print(x.grad)
print(torch.isnan(x.grad), torch.isfinite(x.grad))
