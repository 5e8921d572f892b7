import torch
a = torch.tensor([1., 2.])
print(a, a * 2, sep=" | ")
print("no newline", end="")
print(" ... continued", end="!\n")
print(1, 2, 3, sep="")
print()
