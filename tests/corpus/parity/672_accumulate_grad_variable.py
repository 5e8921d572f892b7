import torch

w = torch.tensor([1.0, 2.0], requires_grad=True)
b = torch.tensor(0.5, requires_grad=True)
y = (w * 3 + b).sum()
node = y.grad_fn
print(node.name(), node.next_functions)
add = node.next_functions[0][0]
mul, acc_b = add.next_functions
print(mul[0].name(), acc_b[0].name())
acc_w = mul[0].next_functions[0][0]
print(acc_w.name(), acc_w.variable is w, acc_b[0].variable is b)
print(acc_w.variable)
y.backward()
print(acc_w.variable.grad)
