import torch
i = torch.tensor([1, 2, 3])
f = torch.tensor([0.5, 0.5, 0.5])
print(i.dtype, f.dtype)
s = i + f
print(s, s.dtype)
d = i / 2
print(d, d.dtype)
q = i // 2
print(q, q.dtype)
h = i * 2.5
h.dtype
