import torch
x = torch.tensor([1., 2.], requires_grad=True)
x.sum().backward()
print(x.grad)
x.backward(torch.tensor([10., 20.]))
x.grad
