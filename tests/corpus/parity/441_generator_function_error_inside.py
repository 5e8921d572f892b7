import torch


def batches(t, size):
    for i in range(0, len(t), size):
        yield t[i:i + size]
    yield t[100]


x = torch.arange(6.)
parts = [b for b in batches(x, 4)]
