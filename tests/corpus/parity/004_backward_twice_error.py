import torch
x = torch.tensor(3., requires_grad=True)
y = torch.tensor(6., requires_grad=True)
u = 2*x
v = x*y
z = u + v
z.backward()
print(x.grad, y.grad)
v.backward()
print("never printed")
