# notes: 004_57f8a590851dd438#17
import numpy as np
import torch

xy = np.random.rand(12, 9).astype(np.float32)
x_data = torch.from_numpy(xy[:, :-1])
y_data = torch.from_numpy(xy[:, [-1]])


class Model(torch.nn.Module):
    def __init__(self):
        super(Model, self).__init__()
        self.linear1 = torch.nn.Linear(8, 6)
        self.linear2 = torch.nn.Linear(6, 4)
        self.linear3 = torch.nn.Linear(4, 1)
        self.sigmoid = torch.nn.Sigmoid()

    def forward(self, x):
        x = self.sigmoid(self.linear1(x))
        x = self.sigmoid(self.linear2(x))
        x = self.sigmoid(self.linear3(x))
        return x


model = Model()
criterion = torch.nn.BCELoss(reduction='mean')
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
for epoch in range(5):
    y_pred = model(x_data)
    loss = criterion(y_pred, (y_data > 0.5).float())
    print(epoch, round(loss.item(), 6))
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
