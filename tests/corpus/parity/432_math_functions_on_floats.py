import math
import torch

x = torch.tensor(0.5, requires_grad=True)
y = torch.sin(x) * math.exp(1.0) + math.log(2.0)
y.backward()
print(x.grad, math.cos(0.5) * math.e)
print(math.isclose(x.grad.item(), math.cos(0.5) * math.e, rel_tol=1e-6))
print(math.floor(2.7), math.ceil(2.1), math.inf > 1e308, math.isnan(math.nan))
