import torch
x = torch.tensor(1.5, requires_grad=True)
parts = []
for k in range(3):
    parts.append(x ** (k + 1))
out = torch.stack(parts).mean()
out.backward()
