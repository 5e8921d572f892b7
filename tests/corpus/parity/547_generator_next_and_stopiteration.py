import torch


def countdown(k):
    while k > 0:
        yield k
        k -= 1


g = countdown(2)
print(next(g), next(g))
print(list(countdown(3)))
v = next(g)
