import torch
x = torch.tensor(3., requires_grad=True)
y = x * x
print(f"y = {y.item()}")
out = y * 2
out.backward()
