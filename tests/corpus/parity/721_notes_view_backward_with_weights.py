# notes: 001_b66eaa93a75ac302#17
import torch
x = torch.tensor([1.0, 2.0, 3.0, 4.0], requires_grad=True)
y = 2 * x
z = y.view(2, 2)
print(z)
#方法一：
# z = z.sum() #这样得到的就是一个标量
# z.backward()
# print(x.grad) #tensor([2.0000, 0.2000, 0.0200, 0.0020])

#方法二：
#现在 z 不是一个标量，所以在调用backward时需要传入一个和z同形的权重向量进行加权求和得到一个标量
v = torch.tensor([[1.0, 0.1], [0.01, 0.001]], dtype=torch.float)
z.backward(v)
print(x.grad) #tensor([2.0000, 0.2000, 0.0200, 0.0020])
