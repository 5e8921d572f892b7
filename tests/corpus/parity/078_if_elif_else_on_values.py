import torch
torch.manual_seed(1)
x = torch.randn(4)
for v in x:
    if v > 0.5:
        label = "high"
    elif v > -0.5:
        label = "mid"
    else:
        label = "low"
    print(f"{v.item():.3f} {label}")
