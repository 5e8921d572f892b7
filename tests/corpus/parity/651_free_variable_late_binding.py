import torch

scale = torch.tensor(2.0)


def apply(x):
    return x * scale  # read when called, not when defined


print(apply(torch.tensor(3.0)))
scale = torch.tensor(10.0)
print(apply(torch.tensor(3.0)))


def make_multipliers():
    fns = []
    for k in range(3):
        fns.append(lambda x: x * k)
    return fns


print([f(torch.tensor(1.0)).item() for f in make_multipliers()])

name = "global"


def shadowing():
    def show():
        return name

    before = None
    try:
        before = show()
    except NameError as e:
        before = str(e)
    name = "local"
    return before, show()


print(shadowing())
