import torch
import torch.nn.functional as F
v = torch.tensor([3., 4.], requires_grad=True)
n = v.norm()
print(n)
u = F.normalize(v, dim=0)
print(u)
(n + u[0]).backward()
v.grad
