import torch
from torch import nn
y_hat = torch.tensor([[0.2], [0.7], [0.9]], requires_grad=True)
y = torch.tensor([[0.], [1.], [1.]])
mse = nn.MSELoss()
bce = nn.BCELoss()
l1 = mse(y_hat, y)
l2 = bce(y_hat, y)
l3 = nn.MSELoss(reduction='sum')(y_hat, y)
(l1 + l2 + l3).backward()
print(l1, l2, l3)
print(y_hat.grad)
