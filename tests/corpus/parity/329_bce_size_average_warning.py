import torch
criterion = torch.nn.BCELoss(size_average=False)
y_pred = torch.tensor([[0.3], [0.6]], requires_grad=True)
loss = criterion(y_pred, torch.tensor([[0.], [1.]]))
loss.backward()
print(loss, y_pred.grad)
