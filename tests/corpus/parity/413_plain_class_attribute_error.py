import torch


class Point:
    kind = "point"

    def __init__(self, x):
        self.x = x


class Other:
    def __init__(self):
        self.y = 1


p = Point(torch.tensor(2.0))
print(p.kind, Point.kind)
v = p.x * 3
print(p.y)
