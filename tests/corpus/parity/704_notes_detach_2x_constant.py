# notes: 000_24202b48501ea4cd#10
import torch
x = torch.tensor(3.,requires_grad = True) 
y = torch.tensor(6.)
y.requires_grad_(True) 

u = 2*x
u_ = u.detach() #调用detach方法将u从计算图中分离，分离后状态下赋值给u_

z = u_+ x*y #此时z的计算图中u_看作常数，不参与求导

z.backward()

x.grad
