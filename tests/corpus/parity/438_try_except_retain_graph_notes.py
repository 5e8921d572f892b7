import torch

x = torch.tensor([1.0, 2.0], requires_grad=True)
y = (x ** 2).sum()
y.backward()
try:
    y.backward()
except RuntimeError as e:
    print("RuntimeError:", e)
print(x.grad)
z = (x * 3).sum()
z.backward(retain_graph=True)
z.backward()
print(x.grad)
