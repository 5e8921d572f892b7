import torch
x = torch.ones(2, 2, requires_grad=True)
y = x + 2
z = y * y * 3
y.retain_grad()

out = z.mean()
out.retain_grad()

out.backward()

print(x.grad)
print(y.grad)
print(out.grad)
