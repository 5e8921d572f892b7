import torch

a = torch.Tensor([[1, 2], [3, 4]])
b = torch.FloatTensor([1.5, 2.5])
c = torch.LongTensor([1, 2, 3])
e = torch.Tensor()
print(a.dtype, b.dtype, c.dtype, e.shape, isinstance(a, torch.Tensor))
