import torch

loss_fn = lambda y_hat, y: ((y_hat - y) ** 2).mean()
w = torch.tensor([0.5], requires_grad=True)
x = torch.tensor([1.0, 2.0, 3.0])
y = 2 * x
for step in range(20):
    l = loss_fn(w * x, y)
    l.backward()
    with torch.no_grad():
        w -= 0.05 * w.grad
        w.grad.zero_()
print(round(w.item(), 4), round(l.item(), 6))
