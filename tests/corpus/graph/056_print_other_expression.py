import torch
x = torch.tensor(3., requires_grad=True)
print(x * 2)
side = x + 100
out = x ** 2
out.backward()
