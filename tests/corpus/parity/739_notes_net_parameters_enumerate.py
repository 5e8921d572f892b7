# notes: 001_b66eaa93a75ac302#48, 001_b66eaa93a75ac302#51
# #49 is what #48 printed; #51 walks the same net (its printout, #52, is of a VGG).
import torch
class Net(torch.nn.Module):  # 继承torch的module
    def __init__(self, n_feature, n_hidden, n_output):
        super(Net, self).__init__()  # 继承__init__功能
        # 定义每一层用什么样的样式
        self.hidden1 = torch.nn.Linear(n_feature, n_hidden)  # 隐藏层线性输出
        self.hidden2 = torch.nn.Linear(n_hidden, n_hidden)  # 隐藏层线性输出
        self.predict = torch.nn.Linear(n_hidden, n_output)  # 输出层线性输出

    def forward(self, x):
        # 激励函数（隐藏层的线性值）
        x = torch.relu(self.hidden1(x))
        x = torch.relu(self.hidden2(x))
        x = self.predict(x)  # 输出值
        return x

net = Net(2, 5, 3)
paras = list(net.parameters())
for num,para in enumerate(paras):
    print('number:',num)
    print(para)
for k,v in net.named_parameters():
    print(k, "-", v.size())
