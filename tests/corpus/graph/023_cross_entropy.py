import torch
import torch.nn.functional as F
logits = torch.randn(3, 4, requires_grad=True)
target = torch.tensor([1, 0, 3])
out = F.cross_entropy(logits, target)
out.backward()
