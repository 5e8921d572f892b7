import torch
X = torch.tensor([[1., 2.], [3., 4.], [5., 6.]])
w = torch.tensor([0.1, -0.2], requires_grad=True)
b = torch.tensor(0.5, requires_grad=True)
pred = X @ w + b
loss = (pred ** 2).mean()
loss.backward()
print(pred)
print(w.grad, b.grad)
