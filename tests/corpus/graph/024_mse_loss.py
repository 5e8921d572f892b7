import torch
import torch.nn.functional as F
pred = torch.randn(5, requires_grad=True)
target = torch.zeros(5)
out = F.mse_loss(pred, target)
out.backward()
