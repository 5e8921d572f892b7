import numpy as np
import torch

x = np.linspace(0, 10, 5)
x_t = torch.tensor(x, dtype=torch.float32).view((5, 1))
w = torch.tensor([[0.5]], requires_grad=True)
y_t = torch.sigmoid(x_t @ w)
y = y_t.data.numpy()
print(y.round(4).tolist())
