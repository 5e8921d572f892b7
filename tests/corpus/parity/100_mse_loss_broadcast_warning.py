import torch
import torch.nn.functional as F
pred = torch.ones(3, 1, requires_grad=True)
target = torch.zeros(3)
loss = F.mse_loss(pred, target)
print(loss)
