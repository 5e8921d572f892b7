import torch
loss = torch.tensor(0.5)
width = 8
print("loss = %.3f" % loss.item())
print("%d steps, %s" % (3, "done"))
print(f"[{loss.item():{width}.2f}]")
print(f"{loss!s:>30}|")
