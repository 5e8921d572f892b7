import torch
x = torch.tensor(-2., requires_grad=True)
if x.item() > 0:
    y = x * 3
else:
    y = -x * 5
out = y * y
out.backward()
