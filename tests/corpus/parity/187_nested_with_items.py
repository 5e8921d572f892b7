import torch
w = torch.tensor(1.0, requires_grad=True)
with torch.no_grad(), torch.enable_grad():
    y = w * 3
print(y.requires_grad)
with torch.enable_grad(), torch.no_grad():
    z = w * 3
print(z.requires_grad)
