# notes: 000_24202b48501ea4cd#1, 000_24202b48501ea4cd#2, 000_24202b48501ea4cd#3, 000_24202b48501ea4cd#4, 000_24202b48501ea4cd#5
# The blocks' code as the notebook cells run it; the lines under each cell's code are what it printed.
#为x，y设初值
import torch

x = torch.tensor(3.,requires_grad = True) #在生成张量时直接将标志位设置为True

y = torch.tensor(6.)
y.requires_grad_(True) #调用标志位设置函数将标志设置为True
u = 2*x
v = x*y

u,v
z = u+v

z
z = 2*x + x*y

z
z.backward()
x.grad, y.grad
