import torch
x = torch.tensor([1., -2., 3.])
if x.sum() > 0:
    print("positive sum")
if x > 0:
    print("all positive?")
