import torch
w = torch.tensor([1.0, -1.0], requires_grad=True)
loss = (w ** 2).sum()
loss.backward()
w.data -= 0.1 * w.grad
print(w)
print(w.is_leaf, w.requires_grad)
w.data
