import random
import torch

indices = list(range(8))
random.shuffle(indices)
print(indices)
X = torch.arange(8.)
print(X[torch.tensor(indices[:3])])
random.seed(3)
print(random.randrange(10), random.random())
