# notes: 001_b66eaa93a75ac302#50
# The line uses a model and a config the note never defines: small ones stand in for them.
import torch
from torch import nn, optim


class Config:
    lr = 0.001


config = Config()
model = nn.Linear(2, 1)
optimizer = optim.Adam(model.parameters(), lr=config.lr) # 在调用优化器时，要穿入模型的参数
