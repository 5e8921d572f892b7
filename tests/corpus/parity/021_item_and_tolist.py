import torch
x = torch.randn(1, requires_grad=True)
print(x)
y = x.item()
print(y)
m = torch.randn([2, 2])
lst = m.tolist()
print(lst)
