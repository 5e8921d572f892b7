import torch
a = torch.ones(2, 3)
b = torch.ones(2, 3)
c = torch.mm(
    a,
    b,
)
