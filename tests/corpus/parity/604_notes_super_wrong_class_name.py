import torch


class Model(torch.nn.Module):
    def __init__(self):
        super(Modle, self).__init__()
        self.linear = torch.nn.Linear(1, 1)


model = Model()
