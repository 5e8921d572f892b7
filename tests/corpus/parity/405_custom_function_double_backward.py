import torch


class Square(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x ** 2

    @staticmethod
    def backward(ctx, grad_out):
        x, = ctx.saved_tensors
        return grad_out * 2 * x


x = torch.tensor([1.0, 3.0], requires_grad=True)
y = Square.apply(x).sum()
(dx,) = torch.autograd.grad(y, x, create_graph=True)
print(dx)
dx.sum().backward()
g = x.grad
