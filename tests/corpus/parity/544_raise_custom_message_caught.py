import torch


def check_positive(t):
    if (t <= 0).any():
        raise ValueError(f"expected positive values, got {t.tolist()}")
    return t.log()


try:
    check_positive(torch.tensor([1.0, -1.0]))
except ValueError as err:
    print(err)
y = check_positive(torch.tensor([1.0, 2.0]))
check_positive(torch.tensor([0.0]))
