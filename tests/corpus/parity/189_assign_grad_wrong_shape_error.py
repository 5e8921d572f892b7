import torch
w = torch.ones(3, requires_grad=True)
w.grad = torch.zeros(3)
print(w.grad)
w.grad = torch.zeros(2)
