import torch
import torch.nn.functional as F
z = torch.tensor([[0.5, 1.5, -1.0]], requires_grad=True)
lp = F.log_softmax(z, dim=1)
print(lp)
nll = -lp[0, 1]
nll.backward()
z.grad
