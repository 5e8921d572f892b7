# notes: 000_24202b48501ea4cd#1, 000_24202b48501ea4cd#2, 000_24202b48501ea4cd#3, 000_24202b48501ea4cd#5
# The note's first try (line 142): z = u+v, z.backward(), then v.backward() on the freed graph;
# the error it got is 000_24202b48501ea4cd#6.
import torch

x = torch.tensor(3.,requires_grad = True) #在生成张量时直接将标志位设置为True

y = torch.tensor(6.)
y.requires_grad_(True) #调用标志位设置函数将标志设置为True
u = 2*x
v = x*y

u,v
z = u+v

z
z.backward()
x.grad, y.grad
x.grad.zero_()
y.grad.zero_()
v.backward()
