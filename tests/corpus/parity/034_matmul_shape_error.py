import torch
A = torch.ones(2, 3)
B = torch.ones(2, 3)
C = A @ B.t()
print(C.shape)
D = A @ B
