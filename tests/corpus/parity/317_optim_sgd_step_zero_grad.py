import torch
x = torch.tensor(0.0, requires_grad=True)
optimizer = torch.optim.SGD(params=[x], lr=0.1)
for i in range(5):
    optimizer.zero_grad()
    y = (x - 3) ** 2
    y.backward()
    optimizer.step()
    print(i, y.item(), x.item(), x.grad)
x
