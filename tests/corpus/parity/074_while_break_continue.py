import torch
x = torch.tensor(0.0)
n = 0
while True:
    n += 1
    if n % 2 == 0:
        continue
    x = x + n
    if n > 7:
        break
print(n, x)
