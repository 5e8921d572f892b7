import torch


class Exp(torch.autograd.Function):
    @staticmethod
    def forward(ctx, i):
        result = i.exp()
        ctx.save_for_backward(result)
        return result

    @staticmethod
    def backward(ctx, grad_output):
        result, = ctx.saved_tensors
        return grad_output * result


x = torch.tensor([0.5, 1.0, 2.0], requires_grad=True)
y = Exp.apply(x)
y.sum().backward()
g = x.grad
print(y.grad_fn.name())
