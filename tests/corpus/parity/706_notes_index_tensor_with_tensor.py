# notes: 000_24202b48501ea4cd#15
import torch

x = torch.tensor([3,2])
y = torch.tensor([6,68,98,328])

y[x]
