import torch
def step(x, lr):
    y = (x ** 2).sum()
    y.backward()
    with torch.no_grad():
        x -= lr * x.grad
        x.grad.zero_()
    return y.item()
x = torch.tensor([1.0, -2.0], requires_grad=True)
for i in range(3):
    print(i, step(x, 0.1))
x
