import torch
import torch.nn.functional as F
logits = torch.randn(2, 3, requires_grad=True)
target = torch.tensor([0, 2])
out = F.nll_loss(F.log_softmax(logits, dim=1), target)
out.backward()
