import torch
x = torch.tensor(3., requires_grad=True)
y = torch.tensor(6., requires_grad=True)
z = 2*x + x*y
print(z.grad_fn.next_functions)
fn = z.grad_fn.next_functions[0][0]
print(fn.name(), fn.next_functions)
