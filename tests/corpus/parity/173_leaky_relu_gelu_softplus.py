import torch
import torch.nn.functional as F
x = torch.tensor([-2., -0.5, 0., 1.], requires_grad=True)
a = F.leaky_relu(x, 0.1)
b = F.gelu(x)
c = F.softplus(x)
d = F.elu(x)
(a + b + c + d).sum().backward()
print(a, b, c, d, sep="\n")
x.grad
