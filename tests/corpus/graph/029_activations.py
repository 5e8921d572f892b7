import torch
import torch.nn.functional as F
x = torch.linspace(-3, 3, 6, requires_grad=True)
a = F.gelu(x) + F.leaky_relu(x, 0.1)
b = F.silu(x) * F.elu(x)
out = (a + b + F.softplus(x)).sum()
out.backward()
