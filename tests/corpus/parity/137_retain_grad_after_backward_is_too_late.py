import torch
x = torch.tensor(2.0, requires_grad=True)
h = x * x
out = h * 3
out.backward(retain_graph=True)
h.retain_grad()
print(h.grad)
out.backward()
print(h.grad, x.grad)
