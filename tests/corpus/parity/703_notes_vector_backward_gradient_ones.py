# notes: 000_24202b48501ea4cd#8, 000_24202b48501ea4cd#9
import torch

a = torch.tensor([[2.,4.]],requires_grad = True)
b = torch.zeros(1,2)
b[0,0] = a[0,0]**2 + a[0,1]
b[0,1] = a[0,1]**3 + a[0,0]
c = 2*b
c.backward(torch.ones(1,2))#设置gradient参数
a.grad
