import torch
import torch.nn as nn


class Counter:
    count = 0

    def __init__(self):
        Counter.count += 1
        self.id = Counter.count


a, b, c = Counter(), Counter(), Counter()
print(Counter.count, a.id, c.id, b.count)
Counter.label = "made"
print(a.label)


class Layer(nn.Module):
    created = 0

    def __init__(self, n):
        super().__init__()
        Layer.created += 1
        self.fc = nn.Linear(n, 1)

    def forward(self, x):
        return self.fc(x)


nets = [Layer(2) for _ in range(4)]
print(Layer.created)


def build(width):
    class Local(nn.Module):
        def __init__(self):
            super().__init__()
            self.fc = nn.Linear(width, 1)

        def forward(self, x):
            return torch.sigmoid(self.fc(x))

    return Local()


model = build(3)
print(model)
out = model(torch.ones(2, 3))
print(out.shape, out.grad_fn)
