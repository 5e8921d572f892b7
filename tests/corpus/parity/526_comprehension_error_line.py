import torch

values = [torch.ones(2), torch.ones(3)]
sums = [v + values[0] for v in values]
