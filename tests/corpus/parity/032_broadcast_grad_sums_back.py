import torch
w = torch.ones(3, requires_grad=True)
x = torch.arange(6.).reshape(2, 3)
y = (x * w).sum()
y.backward()
print(w.grad)
print(w.grad.shape)
