import torch
import torch.nn.functional as F
v = torch.tensor([[3., 4.], [1., 1.]], requires_grad=True)
out = F.normalize(v, dim=1)[0, 0]
out.backward()
