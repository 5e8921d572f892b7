import torch
x_data = torch.tensor([[1.0], [2.0], [3.0]])
y_data = torch.tensor([[0.0], [0.0], [1.0]])
model = torch.nn.Linear(1, 1)
criterion = torch.nn.BCELoss(reduction='sum')
optimizer = torch.optim.SGD(model.parameters(), lr=0.05)
for epoch in range(20):
    y_pred = torch.sigmoid(model(x_data))
    loss = criterion(y_pred, y_data)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
print(epoch, loss)
print('w =', model.weight.item(), 'b =', model.bias.item())
