import torch
name = "  Loss  "
parts = [name.strip().upper(), "grad".lower()]
print(parts[0] + ", " + parts[1], parts.index("GRAD".lower()))
print(name.strip().startswith("Lo"), "x.pt".endswith(".pt"))
s = str(torch.tensor(1.5).item())
s
