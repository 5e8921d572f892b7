import torch
total = torch.tensor(0.)
def add(x):
    total += x
    return total
add(torch.tensor(1.))
