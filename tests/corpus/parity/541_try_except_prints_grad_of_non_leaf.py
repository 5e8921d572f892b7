import torch

try:
    x = torch.ones(2, requires_grad=True)
    y = x * 2
    g = torch.autograd.grad(y.sum(), y)
    h = torch.autograd.grad(y.sum(), x)
except RuntimeError as e:
    print("RuntimeError:", e)
except (IndexError, ValueError, TypeError) as e:
    print(type(e) is IndexError, "other:", e)
else:
    print("no error")
finally:
    print("done")
