import torch


def model():
    def forward(x):
        return x * weight

    out = forward(torch.ones(2))
    weight = torch.tensor(3.0)
    return out


model()
