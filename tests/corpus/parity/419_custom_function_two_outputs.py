import torch


class SinCos(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x.sin(), x.cos()

    @staticmethod
    def backward(ctx, gs, gc):
        x, = ctx.saved_tensors
        return gs * x.cos() - gc * x.sin()


x = torch.tensor([0.0, 1.0], requires_grad=True)
s, c = SinCos.apply(x)
(s + c).sum().backward()
g = x.grad
print(s.grad_fn)
