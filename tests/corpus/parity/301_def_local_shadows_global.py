import torch
w = torch.tensor(5.0, requires_grad=True)
def f(x):
    w = x * 2
    return w + 1
out = f(torch.tensor(3.0))
print(out, w)
def g():
    return w * 2
v = g()
v.backward()
print(w.grad)
