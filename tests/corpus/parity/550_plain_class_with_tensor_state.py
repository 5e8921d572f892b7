import torch


class SGD:
    def __init__(self, params, lr):
        self.params = list(params)
        self.lr = lr

    def step(self):
        with torch.no_grad():
            for p in self.params:
                p -= self.lr * p.grad

    def zero_grad(self):
        for p in self.params:
            if p.grad is not None:
                p.grad.zero_()


w = torch.tensor([1.0, -1.0], requires_grad=True)
opt = SGD([w], lr=0.1)
for _ in range(3):
    loss = (w ** 2).sum()
    opt.zero_grad()
    loss.backward()
    opt.step()
print(w)
