import torch
t = torch.arange(5.)
first, *middle, last = t
print(first, last)
print(len(middle), middle[0])
head, *rest = [1, 2, 3]
rest
