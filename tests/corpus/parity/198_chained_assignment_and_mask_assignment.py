import torch
a = b = torch.zeros(4)
a[1] = 5.
print(b)
y = torch.tensor([-1., 2., -3., 4.])
y[y < 0] = 0.
y
