# notes: 001_b66eaa93a75ac302#30
# The note's loop uses a MyModel, epochs and a train_loader it never defines: a small model and a
# loader of seeded tensors stand in for them.
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset


class MyModel(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(4, 3)

    def forward(self, x):
        return self.fc(x)


epochs = 3
train_loader = DataLoader(TensorDataset(torch.randn(12, 4), torch.randint(0, 3, (12,))), batch_size=4)
model = MyModel()
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.001, momentum=0.9, weight_decay=1e-4)
 
for epoch in range(1, epochs):
    for i, (inputs, labels) in enumerate(train_loader):
        output= model(inputs) # 前向推理
        loss = criterion(output, labels) # 计算loss
        # 处理梯度
        optimizer.zero_grad() # 梯度归零
        loss.backward() 	## 反向传播求解梯度
        optimizer.step()  ## 梯度下降来更新权重参数
