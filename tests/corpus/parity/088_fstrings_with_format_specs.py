import torch
loss = torch.tensor(0.123456789)
step = 7
print(f"step {step:3d} loss {loss.item():.4f}")
print(f"{loss!r}")
print(f"{loss}")
print(f"{step=}")
print(f"{3.14159:>10.2f}|")
