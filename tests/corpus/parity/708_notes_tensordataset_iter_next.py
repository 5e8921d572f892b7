# notes: 000_24202b48501ea4cd#25, 000_24202b48501ea4cd#27
# The lines under the code of each block are what it printed (#27's are the REPL's answers).
import torch
from torch.utils import data

features = torch.tensor([[1,2],[3,4],[5,6]])
labels = torch.tensor([1,2,3])
dataset = data.TensorDataset(*(features,labels))
#弹幕好哥哥提醒,这个星号是元组拆包符号,将列表元素分别当作参数传入进去

for i in dataset:
    print(i)
    
x = iter(torch.tensor([[1,2],[3,4],[5,6]]))

next(x)
next(x)
next(x)
next(x,-1) 
#可选，用于设置在没有下一个元素时返回该默认值,如果不设置,又没有下一个元素则会触发StopIteration异常
