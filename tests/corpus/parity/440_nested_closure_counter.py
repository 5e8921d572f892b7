import torch


def make_scaler(k):
    def scale(t):
        return t * k
    return scale


double = make_scaler(2.0)
triple = make_scaler(3.0)
x = torch.tensor(1.5, requires_grad=True)
y = double(x) + triple(x)
y.backward()
print(x.grad, double)
fns = [lambda v, i=i: v * i for i in range(3)]
print([f(2) for f in fns])
late = [lambda v: v * i for i in range(3)]
print([f(2) for f in late])
