import torch
A = torch.ones(2, 3)
B = 2 * torch.ones(4, 3)
C = torch.cat((A, B), 0)
print(C.size())
D = 2 * torch.ones(2, 4)
E = torch.cat((A, D), 1)
print(E.size())
F = torch.cat((A, D), 0)
