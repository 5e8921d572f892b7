import torch
x = torch.tensor([0.2, 0.9, 0.1], requires_grad=True)
i = x.argmax()
print(i, i.requires_grad, i.dtype)
i.backward()
