import torch
x = torch.tensor([1., 2.], requires_grad=True)
total = (
    x
    .mul(2)
    .sum()
)
print(total)
cleared = (
    x
    .grad
    .zero_()
)
