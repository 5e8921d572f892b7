import torch

w = torch.tensor([2.0], requires_grad=True)
h = w.register_hook(lambda g: g + 100)
(w * 3).backward()
print(w.grad)
h.remove()
h.remove()
w.grad = None
(w * 3).backward()
print(w.grad)
