import torch


class Accumulator:
    """Sums n values."""

    def __init__(self, n):
        self.data = [0.0] * n

    def add(self, a, b):
        self.data = [x + y for x, y in zip(self.data, [a, b])]

    def reset(self):
        self.data = [0.0] * len(self.data)

    def __getitem__(self, idx):
        return self.data[idx]


metric = Accumulator(2)
metric.add(1.5, 2)
metric.add(torch.tensor(3.0).item(), 1)
print(metric[0], metric[1])
metric.reset()
print(metric.data)
