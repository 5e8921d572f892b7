import torch
w = torch.tensor(1.0, requires_grad=True)
for step in range(3):
    loss = (3 * w - 1) ** 2
    loss.backward()
    print(step, w.grad)
