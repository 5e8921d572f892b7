import torch

x = torch.FloatTensor([[1, 2], [3, 4]])
y = torch.LongTensor([0, 1])
w = torch.randn(2, 2, requires_grad=True)
loss = torch.nn.functional.cross_entropy(x @ w, y)
loss.backward()
print(x.dtype, y.dtype, w.grad.shape)
