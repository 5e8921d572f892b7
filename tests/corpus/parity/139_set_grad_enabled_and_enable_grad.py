import torch
x = torch.ones(2, requires_grad=True)
with torch.set_grad_enabled(False):
    a = x * 2
    print(torch.is_grad_enabled())
    with torch.enable_grad():
        b = x * 2
print(a.requires_grad, b.requires_grad, torch.is_grad_enabled())
