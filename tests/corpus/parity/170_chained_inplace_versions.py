import torch
x = torch.zeros(3)
x.add_(1)
x.mul_(3)
x[0] = -1.
x.fill_(2.)
y = x.clone()
y.sub_(1)
print(x, y)
