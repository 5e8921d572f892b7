import torch


class Model(torch.nn.Module):
    def __init__(self):
        super(Model, self).__init__()
        self.linear = torch.nn.Linear(1, 1)

    def forword(self, x):
        return self.linear(x)


model = Model()
y = model(torch.ones(1, 1))
