import torch
a = torch.tensor([1., 2., 3., 4.], requires_grad=True)
out = a[0] * a[1:].sum() + a[-1]
out.backward()
