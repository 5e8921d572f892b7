import torch
x = torch.tensor(2.0)
print(0 < x < 3)
print(x > 1 and x < 2)
print(x == 2 or x == 3)
print(not (x > 5))
print(torch.tensor([1, 2]) == torch.tensor([1, 3]))
y = None
print(y is None, x is not None)
