import torch

x = torch.tensor(1.0)


def f():
    x = torch.tensor(2.0)

    def g():
        global x
        x = torch.tensor(10.0)

        def h():
            return x

        return h()

    return g(), x


print(f(), x)
