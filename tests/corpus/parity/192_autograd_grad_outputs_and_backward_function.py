import torch
x = torch.tensor([1., 2.], requires_grad=True)
y = x ** 2
g, = torch.autograd.grad(y, x, grad_outputs=torch.tensor([1., 10.]), retain_graph=True)
print(g)
torch.autograd.backward(y, torch.tensor([0.5, 0.5]))
x.grad
