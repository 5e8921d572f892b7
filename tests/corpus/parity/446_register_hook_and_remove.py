import torch

x = torch.tensor([1.0, 2.0], requires_grad=True)
y = x * 3
h = y.register_hook(lambda grad: grad * 2)
z = y.sum()
z.backward()
print(x.grad)
h.remove()
x.grad.zero_()
(x * 3).sum().backward()
print(x.grad)
seen = []


def keep(g):
    seen.append(g.clone())


x.register_hook(keep)
(x ** 2).sum().backward()
print(seen)
