import torch


class Cube(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x ** 3

    @staticmethod
    def backward(ctx, g):
        x, = ctx.saved_tensors
        return 3 * x ** 2 * g


x = torch.tensor(2.0, requires_grad=True)
y = Cube.apply(x)
(gx,) = torch.autograd.grad(y, x, create_graph=True)
(ggx,) = torch.autograd.grad(gx, x)
print(y, gx, ggx)
