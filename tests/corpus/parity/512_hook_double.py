import torch

x = torch.tensor([1.0, -2.0, 3.0], requires_grad=True)
y = x * x
handle = y.register_hook(lambda g: g * 2)
loss = y.sum()
loss.backward()
print(x.grad)
handle.remove()
