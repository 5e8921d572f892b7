import torch


class LeakyReLU(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, slope):
        ctx.save_for_backward(x)
        ctx.slope = slope
        return torch.where(x > 0, x, x * slope)

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        local = torch.where(x > 0, torch.ones_like(x), torch.full_like(x, ctx.slope))
        return grad * local, None


x = torch.tensor([-2.0, -0.5, 0.5, 2.0], requires_grad=True)
y = LeakyReLU.apply(x, 0.1)
z = (y * y).sum()
z.backward()
g = x.grad
