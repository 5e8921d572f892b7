import torch
import torch.nn.functional as F
z = torch.tensor([0.5, -1.0], requires_grad=True)
t = torch.tensor([1., 0.])
p = torch.sigmoid(z)
print(F.binary_cross_entropy(p, t))
print(F.binary_cross_entropy_with_logits(z, t))
loss = F.binary_cross_entropy(z, t)
