import torch

def f():
    try:
        return torch.ones(2).view(3)
    except RuntimeError:
        print("logging and re-raising")
        raise


f()
