import torch
true_w = torch.tensor([2, -3.4])
true_b = 4.2
X = torch.normal(0, 1, (100, 2))
y = torch.matmul(X, true_w) + true_b
y += torch.normal(0, 0.01, y.shape)
y = y.reshape((-1, 1))

w = torch.normal(0, 0.01, size=(2,1), requires_grad=True)
b = torch.zeros(1, requires_grad=True)
lr = 0.03
batch_size = 10

for epoch in range(3):
    for i in range(0, 100, batch_size):
        Xb = X[i:i + batch_size]
        yb = y[i:i + batch_size]
        l = (torch.matmul(Xb, w) + b - yb.reshape(-1, 1)) ** 2 / 2
        l.sum().backward()
        with torch.no_grad():
            for param in [w, b]:
                param -= lr * param.grad / batch_size
                param.grad.zero_()
    with torch.no_grad():
        train_l = (torch.matmul(X, w) + b - y) ** 2 / 2
        print(f'epoch {epoch + 1}, loss {float(train_l.mean()):f}')

print(f'w error: {true_w - w.reshape(true_w.shape)}')
print(f'b error: {true_b - b}')
