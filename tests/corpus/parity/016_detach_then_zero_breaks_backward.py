import torch
a = torch.tensor([7., 0, 0], requires_grad=True)
b = a + 2
print(b)

loss = torch.mean(b * b)

b_ = b.detach()
b_.zero_()
print(b)

loss.backward()
