# notes: 000_24202b48501ea4cd#23, 000_24202b48501ea4cd#24, 003_29eb8c9b8ee5e57f#1, 003_29eb8c9b8ee5e57f#2, 003_29eb8c9b8ee5e57f#3, 003_29eb8c9b8ee5e57f#4, 003_29eb8c9b8ee5e57f#5, 003_29eb8c9b8ee5e57f#6, 003_29eb8c9b8ee5e57f#7
# d2l.synthetic_data is written inline, as d2l defines it (000_24202b48501ea4cd#12 writes it too);
# 003's blocks #3-#6 sit in a Markdown list, whose indentation is the list's, not the code's.
import numpy as np
import torch
from torch.utils import data


def synthetic_data(w, b, num_examples):
    """生成y=Xw+b+噪声"""
    X = torch.normal(0, 1, (num_examples, len(w)))
    y = torch.matmul(X, w) + b
    y += torch.normal(0, 0.01, y.shape)
    return X, y.reshape((-1, 1))


true_w = torch.tensor([2, -3.4])
true_b = 4.2
features, labels = synthetic_data(true_w, true_b, 1000)
def load_array(data_arrays, batch_size, is_train=True):  #@save
    """构造一个PyTorch数据迭代器"""
    dataset = data.TensorDataset(*data_arrays)
    return data.DataLoader(dataset, batch_size, shuffle=is_train) # 每次从样本里随机挑选batch_size个样本

batch_size = 10
data_iter = load_array((features, labels), batch_size)
# nn是神经网络的缩写
from torch import nn

net = nn.Sequential(nn.Linear(2, 1))
net[0].weight.data.normal_(0, 0.01)
net[0].bias.data.fill_(0)
loss = nn.MSELoss()
trainer = torch.optim.SGD(net.parameters(), lr=0.03) 
# net.parameters() 神经网络需要的所有参数，包括w和b
num_epochs = 3
for epoch in range(num_epochs):
    for X, y in data_iter:
        l = loss(net(X) ,y)
        trainer.zero_grad()  # 梯度清零
        l.backward()
        trainer.step() # 模型更新
    l = loss(net(features), labels)
    print(f'epoch {epoch + 1}, loss {l:f}')

#比较生成数据集的真实参数和通过有限数据训练获得的模型参数
w = net[0].weight.data
print('w的估计误差：', true_w - w.reshape(true_w.shape))
b = net[0].bias.data
print('b的估计误差：', true_b - b)
