import torch

print(type(torch.__version__) is not None, torch.cuda.is_available())
device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
x = torch.ones(2, device=device)
print(x.device)
