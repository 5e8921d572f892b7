import torch
a, b = torch.tensor(1.0, requires_grad=True), torch.tensor(2.0, requires_grad=True)
c, d = a * b, a + b
c, d = d, c
(c + 2 * d).backward()
a.grad, b.grad
