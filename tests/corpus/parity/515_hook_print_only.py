import torch

x = torch.tensor([1.0, -2.0, 3.0], requires_grad=True)
y = x * x
handle = y.register_hook(print)
loss = y.sum()
loss.backward()
print(x.grad)
handle.remove()
