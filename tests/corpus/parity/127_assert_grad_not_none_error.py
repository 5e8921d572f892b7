import torch
x = torch.tensor(2.0, requires_grad=True)
y = x.detach() * 3
assert y is not None
assert y.requires_grad, "y is cut off from x"
