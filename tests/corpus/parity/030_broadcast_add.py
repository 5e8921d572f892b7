import torch
a = torch.arange(6.).reshape(2, 3)
b = torch.tensor([10., 20., 30.])
c = a + b
print(c)
col = torch.tensor([[1.], [2.]])
d = a * col
d
