import torch

x = torch.tensor([1.0, -2.0, 3.0], requires_grad=True)
y = x * x
handle = y.register_hook(lambda g: g.clamp(-0.5, 0.5))
loss = y.sum()
loss.backward()
print(x.grad)
handle.remove()
