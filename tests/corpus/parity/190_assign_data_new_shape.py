import torch
w = torch.ones(3, requires_grad=True)
w.data = torch.arange(6.).view(2, 3)
print(w, w.shape)
(w * w).sum().backward()
w.grad
