import torch
x = torch.tensor([[1., 5., 3.], [7., 2., 9.]], requires_grad=True)
values, indices = x.max(dim=1)
print(values)
print(indices)
values.sum().backward()
print(x.grad)
print(torch.argmax(x), x.argmin(dim=0))
