import torch
import torch.nn as nn


def train(steps):
    seen = 0

    class Probe(nn.Module):
        def forward(self, x):
            nonlocal seen
            seen += x.shape[0]
            return x * 2

    probe = Probe()
    for _ in range(steps):
        probe(torch.ones(3, 1))
    return seen


print(train(4))
