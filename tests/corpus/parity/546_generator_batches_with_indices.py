import torch


def batches(n, size):
    order = torch.randperm(n).tolist()
    for start in range(0, n, size):
        yield order[start:start + size]


X = torch.arange(10.).reshape(10, 1)
for idx in batches(10, 4):
    print(idx, X[idx].sum().item())
