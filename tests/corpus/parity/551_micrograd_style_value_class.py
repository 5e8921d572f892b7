import torch


class Value:
    def __init__(self, data, children=()):
        self.data = data
        self.grad = 0.0
        self.prev = set(children)

    def add(self, other):
        return Value(self.data + other.data, (self, other))

    def mul(self, other):
        return Value(self.data * other.data, (self, other))


a = Value(2.0)
b = Value(-3.0)
c = a.mul(b).add(Value(10.0))
print(c.data, len(c.prev))
ta = torch.tensor(2.0, requires_grad=True)
tb = torch.tensor(-3.0, requires_grad=True)
tc = ta * tb + 10.0
tc.backward()
print(tc.item() == c.data, ta.grad, tb.grad)
