import torch
from torch import nn
logits = torch.randn(4, 3, requires_grad=True)
target = torch.tensor([0, 2, 1, 2])
ce = nn.CrossEntropyLoss()(logits, target)
z = torch.randn(4, requires_grad=True)
bl = nn.BCEWithLogitsLoss()(z, torch.tensor([1., 0., 1., 0.]))
(ce + bl).backward()
print(ce, bl)
print(logits.grad, z.grad)
