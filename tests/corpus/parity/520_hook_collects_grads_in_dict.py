import torch

grads = {}


def save_grad(name):
    def hook(grad):
        grads[name] = grad
    return hook


x = torch.tensor([1.0, 2.0], requires_grad=True)
y = 3 * x
z = y.pow(2).sum()
y.register_hook(save_grad('y'))
z.backward()
print(grads['y'], x.grad)
