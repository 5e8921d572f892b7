import torch
import torch.nn as nn

net = nn.Sequential(nn.Linear(2, 3), nn.Tanh(), nn.Linear(3, 1))
n_params = sum(p.numel() for p in net.parameters())
shapes = [tuple(p.shape) for p in net.parameters()]
names = {name: p.requires_grad for name, p in net.named_parameters()}
print(n_params, shapes)
print(names)
loss = net(torch.ones(4, 2)).pow(2).mean()
loss.backward()
norms = [round(p.grad.norm().item(), 6) for p in net.parameters()]
print(len(norms), all(n >= 0 for n in norms))
