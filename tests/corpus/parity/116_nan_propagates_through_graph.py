import torch
x = torch.tensor(-1.0, requires_grad=True)
y = torch.sqrt(x)
z = y * 0
z.backward()
print(y, z, x.grad)
print(float("nan") == float("nan"))
