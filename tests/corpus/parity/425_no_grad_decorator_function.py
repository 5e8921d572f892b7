import torch


@torch.no_grad()
def update(w, g, lr):
    w -= lr * g


w = torch.tensor([1.0, 2.0], requires_grad=True)
loss = (w ** 2).sum()
loss.backward()
update(w, w.grad, 0.1)
print(w, torch.is_grad_enabled())


@torch.enable_grad()
def inside():
    return torch.is_grad_enabled()


with torch.no_grad():
    print(inside())
