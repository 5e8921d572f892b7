# notes: 001_b66eaa93a75ac302#41
# #40 loads a pretrained DenseNet from a .pth
# file and #39 leaves both classes out ("此处网络结构的定义省略"): two small nets that share some
# layer names stand in for them, and the first is not loaded from a file.
import torch
from torch import nn


class DenseNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Linear(4, 3)
        self.classifier = nn.Linear(3, 10)


class fw_DenseNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Linear(4, 3)
        self.head = nn.Linear(3, 2)


net = DenseNet()
net_dict = net.state_dict()  #获取预训练模型的参数
net1 = fw_DenseNet()
net1_dict = net1.state_dict() #获取参数，但其实没有参数（因为没有训练）
net1_dict = {k: v for k, v in net_dict.items() if k in net1_dict} #把两个模型中名称不同的层去掉
net1_dict.update(net1_dict) #使用预训练模型更新新模型的参数
net1.load_state_dict(net1_dict) #更新模型
