import numpy as np
import torch

np.random.seed(1)
v = np.random.randn(3)
print(v, np.random.randint(0, 10, size=4))
idx = np.random.permutation(5)
print(idx, np.random.uniform(0, 1, size=(2,)))
t = torch.tensor(v, dtype=torch.float32, requires_grad=True)
(t ** 2).sum().backward()
print(t.grad)
