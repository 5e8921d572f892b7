import torch
w = torch.tensor(1.0, requires_grad=True)
torch.set_grad_enabled(False)
y = w * 2
print(y.requires_grad, torch.is_grad_enabled())
torch.set_grad_enabled(True)
z = w * 2
print(z.requires_grad)
