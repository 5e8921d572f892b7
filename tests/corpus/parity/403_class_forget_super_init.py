import torch


class Model(torch.nn.Module):
    def __init__(self):
        self.lin = torch.nn.Linear(2, 1)

    def forward(self, x):
        return self.lin(x)


m = Model()
