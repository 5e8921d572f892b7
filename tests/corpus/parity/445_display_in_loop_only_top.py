import torch

w1 = torch.randn(3, 2, requires_grad=True)
for t in range(3):
    loss = (w1 ** 2).sum()
    loss.backward()
    with torch.no_grad():
        w1 -= 0.1 * w1.grad
        w1.grad.zero_()
w1.grad
loss
