import torch
x = torch.tensor([1., 2., 3.], requires_grad=True)
total = 0
for i in range(5):
    total = total + x[i]
    print(i, total)
