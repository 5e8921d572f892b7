import torch
a = torch.tensor(1.0, requires_grad=True)
b = torch.tensor(2.0, requires_grad=True)
params = [a, b]
loss = a * b + b
loss.backward()
for p in params:
    print(p.grad)
