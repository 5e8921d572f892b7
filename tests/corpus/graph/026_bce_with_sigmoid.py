import torch
import torch.nn.functional as F
z = torch.tensor([0.2, -0.4], requires_grad=True)
out = F.binary_cross_entropy(torch.sigmoid(z), torch.tensor([1., 0.]))
out.backward()
