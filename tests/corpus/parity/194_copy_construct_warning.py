import torch
a = torch.tensor([1., 2.], requires_grad=True)
b = torch.tensor(a)
c = torch.tensor(a * 2)
print(b.requires_grad, c.requires_grad)
