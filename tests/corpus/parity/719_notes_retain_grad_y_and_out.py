# notes: 001_b66eaa93a75ac302#14
# (its output is 001_b66eaa93a75ac302#15)
import torch
x = torch.ones(2, 2, requires_grad=True)
y = x + 2
z = y * y * 3
y.retain_grad() # y是非叶子张量，需用.retain_grad()方法保留导数，否则导数将会在反向传播完成之后被释放掉, 就无法打印出y.grad
    
out = z.mean()
out.retain_grad() # y是非叶子张量，需用.retain_grad()方法保留导数，否则导数将会在反向传播完成之后被释放掉, 就无法打印出out.grad

out.backward()

print(x.grad)
print(y.grad)
print(out.grad)
