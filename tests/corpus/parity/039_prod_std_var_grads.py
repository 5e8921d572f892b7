import torch
x = torch.tensor([1., 2., 3., 4.], requires_grad=True)
p = x.prod()
s = x.std()
v = x.var()
total = p + s + v
total.backward()
print(p, s, v)
print(x.grad)
