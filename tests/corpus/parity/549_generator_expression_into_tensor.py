import torch

xs = torch.stack(list(torch.tensor(float(i)) for i in range(4)))
w = torch.ones(4, requires_grad=True)
y = (w * xs).sum()
y.backward()
print(w.grad)
