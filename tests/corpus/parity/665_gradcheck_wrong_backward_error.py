import torch
from torch.autograd import gradcheck


class Sigmoid(torch.autograd.Function):
    @staticmethod
    def forward(ctx, t):
        out = 1 / (1 + torch.exp(-t))
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad):
        (out,) = ctx.saved_tensors
        return grad * out  # forgot the (1 - out)


x = torch.tensor([0.5, -1.0], dtype=torch.double, requires_grad=True)
gradcheck(Sigmoid.apply, (x,))
