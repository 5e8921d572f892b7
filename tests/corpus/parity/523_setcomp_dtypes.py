import torch

ts = [torch.ones(1), torch.ones(1, dtype=torch.float64), torch.zeros(2)]
kinds = {str(t.dtype) for t in ts}
print(sorted(kinds), len(kinds))
