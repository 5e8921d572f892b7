import torch
w = torch.tensor([0.5, -0.5], requires_grad=True)
x = torch.tensor([1.0, 2.0])
lr = 0.1
loss = (w * x).sum() ** 2
loss.backward()
print(w.grad)
w -= lr * w.grad
