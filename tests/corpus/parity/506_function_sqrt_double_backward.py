import torch


class MySqrt(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x.sqrt()

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        return grad * 0.5 / x.sqrt()


x = torch.tensor([0.5, 1.0, 2.0], requires_grad=True)
y = MySqrt.apply(x)
(g1,) = torch.autograd.grad(y.sum(), x, create_graph=True)
g1.sum().backward()
g2 = x.grad
ref = x.detach().clone().requires_grad_(True)
(r1,) = torch.autograd.grad((ref.sqrt()).sum(), ref, create_graph=True)
print(torch.allclose(g1, r1), y.grad_fn.name())
