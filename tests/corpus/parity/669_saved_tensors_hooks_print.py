import torch


def pack(t):
    print("pack", tuple(t.shape))
    return t * 1


def unpack(t):
    print("unpack", tuple(t.shape))
    return t


a = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
b = torch.tensor([4.0, 5.0, 6.0], requires_grad=True)
with torch.autograd.graph.saved_tensors_hooks(pack, unpack):
    y = a * b
    z = y.exp()
print("forward done")
z.sum().backward()
print(a.grad, b.grad)
