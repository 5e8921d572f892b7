# Reading x.grad (as an operand, printed, bound) must not change how PyTorch accumulates into
# it: in place while only .grad holds it, out of place once a name holds it too.
import torch
x = torch.tensor(3., requires_grad=True)
(x * x).backward()
c = x.grad + 1
print(x.grad * 2, c)
(x * x).backward()
g = x.grad
print(g is x.grad, g)
(x * x).backward()
print(g is x.grad, g, x.grad)
