import torch
w = torch.tensor([1., 2.], requires_grad=True)
loss = (w * w).sum()
if loss.item() > 100:
    print("large")
elif w.grad.sum() > 0:
    print("positive")
