import torch
x = torch.tensor([[1.], [2.]], requires_grad=True)
e = x.expand(2, 3)
r = x.repeat(1, 2)
print(e, r, sep="\n")
(e.sum() + r.sum()).backward()
x.grad
