import torch


class MyExp(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x.exp()

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        return grad * x.exp()


x = torch.tensor([0.5, 1.0, 2.0], requires_grad=True)
y = MyExp.apply(x)
(g1,) = torch.autograd.grad(y.sum(), x, create_graph=True)
g1.sum().backward()
g2 = x.grad
ref = x.detach().clone().requires_grad_(True)
(r1,) = torch.autograd.grad((ref.exp()).sum(), ref, create_graph=True)
print(torch.allclose(g1, r1), y.grad_fn.name())
