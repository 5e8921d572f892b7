import torch
x = torch.tensor(3., requires_grad=True)
y = torch.tensor(6., requires_grad=True)
z = 2*x + x*y
z.backward(retain_graph=True)
print(x.grad)
z.backward(retain_graph=True)
print(x.grad)
x.grad.zero_()
y.grad.zero_()
z.backward()
print(x.grad, y.grad)
