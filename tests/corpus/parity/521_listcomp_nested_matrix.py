import torch

rows = [[i * j for j in range(3)] for i in range(3)]
m = torch.tensor(rows, dtype=torch.float32, requires_grad=True)
s = (m * m).sum()
s.backward()
g = m.grad
print(rows, [r for r in rows if sum(r) > 0])
