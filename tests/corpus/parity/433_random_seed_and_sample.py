import random
import torch

random.seed(42)
values = [random.gauss(0, 1) for _ in range(3)]
print(values)
pick = random.sample(range(10), 4)
print(pick, random.choice(['a', 'b', 'c']), random.uniform(1, 2))
t = torch.tensor(values, requires_grad=True)
s = (t ** 2).sum()
s.backward()
