import numpy as np
import torch

a = np.arange(6).reshape(2, 3).astype(np.float32)
b = a * 2 + 1
print(b.sum(), b.mean(axis=0), b.max(), a.T.shape, np.sqrt(b).round(3))
t = torch.from_numpy(b).requires_grad_(True)
(t ** 2).sum().backward()
print(t.grad)
