import torch
from torch.autograd import Function


class Scale(Function):
    @staticmethod
    def forward(ctx, x, k):
        ctx.k = k
        return x * k

    @staticmethod
    def backward(ctx, g):
        return g * ctx.k, None


x = torch.ones(2, requires_grad=True)
y = Scale.apply(x, 3.0)
z = Scale.apply(y, 2.0)
z.sum().backward()
print(x.grad, z.grad_fn.name(), z.grad_fn.next_functions[0][0].name())
