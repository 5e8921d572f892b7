import torch


class Affine(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.w = torch.nn.Parameter(torch.tensor(2.0))
        self.b = torch.nn.Parameter(torch.tensor(-1.0))

    def forward(self, x):
        return self.w * x + self.b


f = Affine()
x = torch.tensor([1.0, 2.0])
out = f(x).sum()
out.backward()
print(f.w.grad, f.b.grad)
print(list(f.parameters()))
