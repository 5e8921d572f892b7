import torch

params = [torch.tensor(float(i), requires_grad=True) for i in range(1, 4)]
loss = sum(p ** 2 for p in params)
loss.backward()
grads = {i: p.grad.item() for i, p in enumerate(params)}
print(grads)
