import torch

pairs = [(i, j) for i in range(4) for j in range(i) if (i + j) % 2 == 1]
t = torch.tensor(pairs, dtype=torch.float32, requires_grad=True)
(t.prod(dim=1)).sum().backward()
print(pairs, t.grad)
