# notes: 001_b66eaa93a75ac302#6
# The note times this with 100000 arrays; 100 show the same warning in the playground's limits.
import torch
import numpy as np

a = [np.random.randint(0, 10, size=(7, 7, 3)) for _ in range(100)]
b = torch.tensor(a)
