# notes: 001_b66eaa93a75ac302#42, 001_b66eaa93a75ac302#43, 001_b66eaa93a75ac302#46
# #42 opens with the output of a dict example the block parser takes in, then the class. The
# note's typo is kept: `lass` for `class`, so Python refuses the program at that line (#43 and #46
# are indented as in the note, which would be refused next: "unexpected indent").
import torch
from torch import nn
from collections import OrderedDict

lass Model(nn.Module):
    def __init__(self):
        super(Model,self).__init__()
        self.conv1 = nn.Conv2d(in_channels=3,out_channels=64,kernel_size=3)
        self.conv2 = nn.Conv2d(64,64,3)
        self.maxpool1 = nn.MaxPool2d(2,2)

        self.features = nn.Sequential(OrderedDict([
            ('conv3', nn.Conv2d(64,128,3)),
            ('conv4', nn.Conv2d(128,128,3)),
            ('relu1', nn.ReLU())
        ]))

    def forward(self,x):
        x = self.conv1(x)
        x = self.conv2(x)
        x = self.maxpool1(x)
        x = self.features(x)

        return x

    m = Model()
    for idx,m in enumerate(m.modules()): # modules()返回一个包含当前模型所有模块的迭代器，这个是递归的返回网络中的所有Module
        print(idx,"-",m)
    for idx,m in enumerate(m.children()):
        print(idx,"-",m)
