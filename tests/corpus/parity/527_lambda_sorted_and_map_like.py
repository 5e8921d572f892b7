import torch

pairs = [(3, 'c'), (1, 'a'), (2, 'b')]
square = lambda v: v * v
print([square(p[0]) for p in pairs], sorted(pairs))
act = lambda t: torch.relu(t) + 1
x = torch.tensor([-1.0, 2.0], requires_grad=True)
y = act(x).sum()
y.backward()
print(x.grad)
