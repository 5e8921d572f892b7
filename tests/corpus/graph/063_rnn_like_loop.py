import torch
W = torch.tensor([[0.5, -0.2], [0.1, 0.3]], requires_grad=True)
h = torch.tensor([1., 0.])
for t in range(3):
    h = torch.tanh(W @ h + 0.1)
out = h.sum()
out.backward()
