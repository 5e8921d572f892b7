import torch
x = torch.tensor([1., 2., 3.], requires_grad=True)
y = (x * 2).sum()
if y.item() > 100:
    print("big")
elif y.item() > 5:
    print("medium")
    y.backward()
    y.backward()
else:
    print("small")
