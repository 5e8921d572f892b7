import torch
x = torch.tensor([1., 2.], dtype=torch.float64)
z = x.new_zeros(3)
o = x.new_ones((2, 2))
f = x.new_full((2,), 9.)
n = x.new_tensor([5, 6])
print(z, o, f, n, sep="\n")
