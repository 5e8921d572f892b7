import torch
x = torch.tensor(1.0, requires_grad=True)
total = torch.tensor(0.0)
for k in range(1, 5):
    total = total + x ** k
print(total)
total.backward()
print(x.grad)
