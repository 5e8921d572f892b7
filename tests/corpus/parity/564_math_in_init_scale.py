import math
import torch

fan_in = 4
bound = 1 / math.sqrt(fan_in)
w = torch.zeros(3, fan_in)
torch.nn.init.uniform_(w, -bound, bound)
print(bound, w.abs().max().item() <= bound)
print(math.exp(-1), math.log10(1000), math.tanh(0.5), math.degrees(math.pi))
