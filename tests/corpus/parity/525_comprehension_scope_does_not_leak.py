import torch

i = 10
squares = [i * i for i in range(4)]
print(squares, i)
print(j)
