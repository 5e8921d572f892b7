import torch


def step(x):
    y = x * 2
    del y
    return y + 1


print(step(torch.tensor(1.0)))
