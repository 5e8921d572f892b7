import torch
x = torch.tensor(1.0, requires_grad=True)
y = x * 2
print(y.grad_fn.next_functions)
x.grad_fn.next_functions
