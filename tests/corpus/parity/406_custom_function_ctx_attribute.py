import torch
from torch.autograd import Function


class MulConstant(Function):
    @staticmethod
    def forward(ctx, tensor, constant):
        ctx.constant = constant
        return tensor * constant

    @staticmethod
    def backward(ctx, grad_output):
        return grad_output * ctx.constant, None


a = torch.ones(3, requires_grad=True)
b = MulConstant.apply(a, 5.0)
b.sum().backward()
print(a.grad)
