import torch
losses = []
for i in range(3):
    losses.append(torch.tensor(float(i)))
print(losses[-1])
print(losses[3])
