import torch
import torch.nn.functional as F
pred = torch.tensor([0.5, -1.5, 2.], requires_grad=True)
out = F.l1_loss(pred, torch.ones(3))
out.backward()
