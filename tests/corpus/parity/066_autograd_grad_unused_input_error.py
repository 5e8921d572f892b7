import torch
x = torch.tensor(1.0, requires_grad=True)
w = torch.tensor(2.0, requires_grad=True)
y = x * 3
print(torch.autograd.grad(y, [x, w], allow_unused=True, retain_graph=True))
torch.autograd.grad(y, [x, w])
