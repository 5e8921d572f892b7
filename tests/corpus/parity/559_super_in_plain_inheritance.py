import torch


class Base:
    def __init__(self, scale):
        self.scale = scale

    def apply_to(self, t):
        return t * self.scale


class Shifted(Base):
    def __init__(self, scale, shift):
        super().__init__(scale)
        self.shift = shift

    def apply_to(self, t):
        return super().apply_to(t) + self.shift


s = Shifted(2.0, 1.0)
x = torch.tensor(3.0, requires_grad=True)
y = s.apply_to(x)
y.backward()
print(y, x.grad, isinstance(s, Base))
