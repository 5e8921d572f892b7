# notes: 002_6daa62cb7109dd8a#1
# The function joined to what it needs: the imports, a small seeded data set, one batch read.
import random
import torch

features = torch.randn(10, 2)
labels = torch.randn(10)
# 本函数已保存在d2lzh包中方便以后使用
def data_iter(batch_size, features, labels):
    num_examples = len(features)
    indices = list(range(num_examples))
    random.shuffle(indices)  # 样本的读取顺序是随机的
    for i in range(0, num_examples, batch_size):
        j = torch.LongTensor(indices[i: min(i + batch_size, num_examples)]) # 最后一次可能不足一个batch
        yield  features.index_select(0, j), labels.index_select(0, j)


for X, y in data_iter(4, features, labels):
    print(X, y)
    break
