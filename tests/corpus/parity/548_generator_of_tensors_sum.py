import torch


def squares(t):
    for v in t:
        yield v * v


x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
total = sum(squares(x))
total.backward()
print(total, x.grad)
