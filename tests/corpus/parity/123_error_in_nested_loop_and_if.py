import torch
w = torch.tensor(1.0, requires_grad=True)
for epoch in range(3):
    for step in range(2):
        loss = (w * 2 - 1) ** 2
        if epoch == 1 and step == 1:
            loss.backward()
            loss.backward()
        else:
            loss.backward()
    print(epoch, w.grad)
