import torch
import torch.nn.functional as F
z = torch.tensor([0.2, -0.4, 3.], requires_grad=True)
out = F.binary_cross_entropy_with_logits(z, torch.tensor([1., 0., 1.]))
out.backward()
