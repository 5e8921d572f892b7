import torch
x = torch.tensor([1., 2., 3.], requires_grad=True)
x
x.shape
x.dtype
x.device
x.grad_fn
2 + 3
"a string"
x.sum()
x.ndim, x.numel(), x.size(0)
