import torch
x = torch.tensor([1., 2., 3.], requires_grad=True)
y = x * x
y.backward(gradient=torch.tensor([1., 0.1, 0.01]))
print(x.grad)
