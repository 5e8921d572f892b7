# notes: 001_b66eaa93a75ac302#16
import torch
# 这里需要注意，Only Tensors of floating point and complex dtype can require gradients
x = torch.tensor([1.,2.],requires_grad=True)
print(x)  #tensor([1., 2.], requires_grad=True)
print(x.grad_fn) #None
y = x + 1
print(y)  #tensor([2., 3.], grad_fn=<AddBackward0>)
print(y.grad_fn) #<AddBackward0 object at 0x0000027D57859D48>
z = y ** 2
print(z.grad_fn) #<PowBackward0 object at 0x0000027D57859D48>
