import torch


def make():
    k = torch.tensor(1.0)

    def f(x):
        return x * k
    k = torch.tensor(5.0)
    return f


f = make()
print(f(torch.tensor(2.0)))
