import torch
x = torch.ones(2, 3)
w = torch.ones(3, 4)
y = (
    x @ w
    + torch.ones(4)
    + (x @ x)
)
