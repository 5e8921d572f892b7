import torch
x = torch.tensor(2.0, requires_grad=True)
y = ((x * 3).exp() + 1).log()
fn = y.grad_fn
depth = 0
while fn is not None:
    print("  " * depth + fn.name())
    nxt = fn.next_functions
    fn = nxt[0][0] if len(nxt) > 0 else None
    depth += 1
