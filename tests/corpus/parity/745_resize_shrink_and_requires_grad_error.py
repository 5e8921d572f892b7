# tensor.resize_ keeps or loses elements; adding them, or a negative size, is refused (test_refusals)
import torch
x = torch.arange(6.)
x.resize_(2, 2)
x
y = torch.arange(6.)
y.resize_(torch.Size([3, 2]))
z = torch.ones(3, requires_grad=True)
w = z * 2
w.resize_(2)
