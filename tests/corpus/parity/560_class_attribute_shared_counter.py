import torch


class Layer:
    default_size = 3

    def __init__(self, size=None):
        self.size = size if size is not None else Layer.default_size

    def make(self):
        return torch.zeros(self.size)


a = Layer()
b = Layer(5)
print(a.make().shape, b.make().shape, Layer.default_size)
