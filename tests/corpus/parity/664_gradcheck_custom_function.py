import torch
from torch.autograd import gradcheck


class Cube(torch.autograd.Function):
    @staticmethod
    def forward(ctx, t):
        ctx.save_for_backward(t)
        return t**3

    @staticmethod
    def backward(ctx, grad):
        (t,) = ctx.saved_tensors
        return 3 * t**2 * grad


x = torch.randn(4, dtype=torch.double, requires_grad=True)
print(gradcheck(Cube.apply, (x,), eps=1e-6, atol=1e-4))
print(torch.autograd.gradgradcheck(Cube.apply, (x,)))


class Wrong(torch.autograd.Function):
    @staticmethod
    def forward(ctx, t):
        ctx.save_for_backward(t)
        return t**2

    @staticmethod
    def backward(ctx, grad):
        (t,) = ctx.saved_tensors
        return t * grad


print(gradcheck(Wrong.apply, (x,), raise_exception=False))
