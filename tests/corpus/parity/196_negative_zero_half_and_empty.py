import torch
z = torch.tensor([0.0, 1.0]) * -1
h = torch.tensor([1.1, 65504.0], dtype=torch.float16)
bf = torch.tensor([3.14159], dtype=torch.bfloat16)
e = z[z > 5]
print(z, h, bf, e, sep="\n")
e.sum()
