import torch
x = torch.tensor([3., 1., 4., 1.5, 5.], requires_grad=True)
vals, idx = x.sort(descending=True)
top = x.topk(2)
c = x.cumsum(0)
print(vals, idx)
print(top.values, top.indices)
print(c)
(vals[0] + top.values.sum() + c[-1]).backward()
x.grad
