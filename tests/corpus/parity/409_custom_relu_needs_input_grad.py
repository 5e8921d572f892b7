import torch


class MyReLU(torch.autograd.Function):
    @staticmethod
    def forward(ctx, input):
        ctx.save_for_backward(input)
        return input.clamp(min=0)

    @staticmethod
    def backward(ctx, grad_output):
        input, = ctx.saved_tensors
        grad_input = grad_output.clone()
        grad_input[input < 0] = 0
        print(ctx.needs_input_grad)
        return grad_input


dtype = torch.float
x = torch.linspace(-2, 2, 5)
w = torch.randn(5, requires_grad=True)
relu = MyReLU.apply
y = relu(x * w)
loss = y.pow(2).sum()
loss.backward()
print(w.grad)
