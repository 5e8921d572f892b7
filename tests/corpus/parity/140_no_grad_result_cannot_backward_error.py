import torch
w = torch.tensor(2.0, requires_grad=True)
with torch.no_grad():
    loss = (w - 1) ** 2
print(loss)
loss.backward()
