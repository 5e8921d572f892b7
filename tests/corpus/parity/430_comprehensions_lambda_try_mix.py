import torch
xs = [torch.tensor(float(i), requires_grad=True) for i in range(3)]
total = sum(x * x for x in xs)
total.backward()
print([x.grad for x in xs])
d = {'a': 1, 'b': 2}
for k, v in d.items():
    print(k, v)
s = {i % 2 for i in range(5)}
print(s, ", ".join(str(i) for i in range(4)))
f = lambda a, b=2: a * b
print(f(3), f(3, b=4))
for _ in range(2):
    print('x')
def outer(k):
    def inner(v):
        return v * k
    return inner
g = outer(3)
print(g(2), g)
def data_iter(batch_size, features):
    n = len(features)
    idx = list(range(n))
    for i in range(0, n, batch_size):
        yield features[idx[i: min(i + batch_size, n)]]
for b in data_iter(2, torch.arange(5.)):
    print(b)
print(data_iter(1, torch.ones(2)))
x = torch.tensor(1.0, requires_grad=True)
y = x * 2
y.backward()
try:
    y.backward()
except RuntimeError as e:
    print("caught:", str(e)[:40])
try:
    z = 1 / 0
except ZeroDivisionError:
    print('zero')
else:
    print('no')
finally:
    print('fin')
sq = {k: k ** 2 for k in range(3)}
print(sq)
it = iter([1, 2])
print(next(it), next(it))
print(next(it, 'done'))
def bad():
    raise ValueError("nope")
bad()
