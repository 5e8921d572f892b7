import torch
from torch.utils.data import Dataset, DataLoader


class Pairs(Dataset):
    def __init__(self, n):
        self.x = torch.linspace(0, 1, n).reshape(n, 1)
        self.y = 3 * self.x + 1

    def __len__(self):
        return len(self.x)

    def __getitem__(self, idx):
        return self.x[idx], self.y[idx]


class Model(torch.nn.Module):
    def __init__(self):
        super(Model, self).__init__()
        self.linear = torch.nn.Linear(1, 1)

    def forward(self, x):
        return self.linear(x)


loader = DataLoader(Pairs(8), batch_size=2, shuffle=False)
model = Model()
opt = torch.optim.SGD(model.parameters(), lr=0.1)
for epoch in range(3):
    for xb, yb in loader:
        loss = torch.nn.functional.mse_loss(model(xb), yb)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, round(loss.item(), 4))
w = model.linear.weight
