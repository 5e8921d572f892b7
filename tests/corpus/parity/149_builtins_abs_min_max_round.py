import torch
vals = [torch.tensor(-1.5), torch.tensor(0.25), torch.tensor(2.0)]
print(abs(vals[0]))
print(min(vals), max(vals))
print(round(3.14159, 2), round(2.5), pow(2, 10))
print(sorted([3, 1, 2]), list(reversed([1, 2, 3])))
print(any([False, True]), all([True, False]))
big = max(vals)
big
