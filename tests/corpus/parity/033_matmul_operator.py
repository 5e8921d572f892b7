import torch
A = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
v = torch.tensor([1., -1.])
out = A @ v
print(out)
loss = out.sum()
loss.backward()
A.grad
