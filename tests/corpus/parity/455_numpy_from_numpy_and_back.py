import numpy as np
import torch

xy = np.random.rand(6, 4).astype(np.float32)
x_data = torch.from_numpy(xy[:, :-1])
y_data = torch.from_numpy(xy[:, [-1]])
print(x_data.shape, y_data.shape, x_data.dtype)
x = np.linspace(0, 10, 5)
x_t = torch.Tensor(x.tolist()).view((5, 1))
y_t = x_t * 2
y = y_t.data.numpy()
print(y.shape, y.dtype, y.sum())
a = np.array([[1, 2], [3, 4]], dtype=np.float64)
b = a @ a + np.ones((2, 2)) * 0.5
print(b, np.dot(a, a).mean(), np.exp(np.zeros(2)))
w = torch.tensor([1.0, 2.0], requires_grad=True)
n = w.numpy()
