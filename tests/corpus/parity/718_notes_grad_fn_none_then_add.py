# notes: 001_b66eaa93a75ac302#11, 001_b66eaa93a75ac302#12, 001_b66eaa93a75ac302#13
# The three REPL cells without their `>>` prompts and the answers printed under them.
import torch
x = torch.ones(2, 2, requires_grad=True)
print(x.grad_fn)  # None
y = x + 2
print(y.grad_fn)  # <AddBackward object at 0x1100477b8>
z = y * y * 3
out = z.mean()
print(z, out)
