import torch
w = torch.zeros(2, requires_grad=True)
with torch.no_grad():
    w.copy_(torch.tensor([1., 2.]))
print(w)
w.copy_(torch.tensor([3., 4.]))
