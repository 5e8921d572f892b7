# notes: 001_b66eaa93a75ac302#8, 001_b66eaa93a75ac302#9
import torch 

x = torch.tensor(3.0,requires_grad=True)
y1 = x + 1
y2 = 2*x
loss = (y1-y2)**2

loss.backward()
print("loss.grad:", loss.grad)
print("y1.grad:", y1.grad) 
print("y2.grad:", y2.grad)
print(x.grad)

# loss.grad: None  # loss是非叶子张量，需用.retain_grad()方法保留导数，否则导数将会在反向传播完成之后被释放掉
# y1.grad: None	   # y1是非叶子张量，需用.retain_grad()方法保留导数，否则导数将会在反向传播完成之后被释放掉
# y2.grad: None	   # y2是非叶子张量，需用.retain_grad()方法保留导数，否则导数将会在反向传播完成之后被释放掉
# tensor(4.)
print(x.is_leaf)
print(y1.is_leaf)
print(y2.is_leaf)
print(loss.is_leaf)

# True
# False
# False
# False
