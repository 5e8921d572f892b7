import torch


class ArgSort(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        values, idx = x.sort()
        ctx.mark_non_differentiable(idx)
        ctx.save_for_backward(idx)
        return values, idx

    @staticmethod
    def backward(ctx, g_values, g_idx):
        idx, = ctx.saved_tensors
        grad = torch.zeros_like(g_values)
        grad[idx] = g_values
        return grad


x = torch.tensor([3.0, 1.0, 2.0], requires_grad=True)
v, i = ArgSort.apply(x)
(v * torch.tensor([1.0, 2.0, 3.0])).sum().backward()
print(v, i, i.requires_grad, x.grad)
