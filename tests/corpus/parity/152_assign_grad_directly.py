import torch
w = torch.tensor([1., 2.], requires_grad=True)
(w * w).sum().backward()
print(w.grad)
w.grad = None
print(w.grad)
(3 * w).sum().backward()
print(w.grad)
w.grad = torch.zeros(2)
w.grad
