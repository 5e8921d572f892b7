import torch

try:
    torch.ones(2).reshape(5)
except RuntimeError as e:
    print(len(e.args), str(e) == e.args[0])
try:
    {}['missing']
except KeyError as e:
    print(repr(e), e.args)
