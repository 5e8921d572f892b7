import torch

a = torch.tensor([0.5, 1.5], requires_grad=True)
b = a.exp()
b.tanh_()
b.sum().backward()
g = a.grad
x = torch.tensor([1.0], requires_grad=True)
y = x.sin()
y.cos_()
w = y * 2
w.backward()
print(x.grad)
k = torch.tensor([2.0], requires_grad=True)
e = k.exp()
f = e * e
e.exp_()
f.backward()
