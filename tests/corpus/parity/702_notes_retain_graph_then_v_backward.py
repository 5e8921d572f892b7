# notes: 000_24202b48501ea4cd#1, 000_24202b48501ea4cd#2, 000_24202b48501ea4cd#3, 000_24202b48501ea4cd#7
import torch

x = torch.tensor(3.,requires_grad = True) #在生成张量时直接将标志位设置为True

y = torch.tensor(6.)
y.requires_grad_(True) #调用标志位设置函数将标志设置为True
u = 2*x
v = x*y

u,v
z = u+v

z
z.backward(retain_graph=True)

x.grad.zero_()
y.grad.zero_()

v.backward()
x.grad, y.grad
