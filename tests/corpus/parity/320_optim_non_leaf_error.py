import torch
x = torch.ones(2, requires_grad=True)
y = x * 2
opt = torch.optim.SGD([y], lr=0.1)
