import torch
def first_negative(t):
    for i in range(len(t)):
        if t[i] >= 0:
            continue
        return i
    return None
def count_until(limit):
    n = 0
    while True:
        n += 1
        if n >= limit:
            break
    return n
print(first_negative(torch.tensor([1., 2., -3., -1.])), first_negative(torch.ones(2)), count_until(7))
