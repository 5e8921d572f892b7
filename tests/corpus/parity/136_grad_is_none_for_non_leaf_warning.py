import torch
x = torch.tensor([1., 2.], requires_grad=True)
h = x * 3
out = h.sum()
out.backward()
print(h.grad)
h.is_leaf, h.retains_grad
