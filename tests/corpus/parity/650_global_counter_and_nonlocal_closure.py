import torch

calls = 0


def forward(x):
    global calls
    calls += 1
    return x * 2


for value in (1.0, 2.0, 3.0):
    forward(torch.tensor(value))
print("calls:", calls)


def make_accumulator():
    total = torch.tensor(0.0)

    def add(t):
        nonlocal total
        total = total + t
        return total

    return add


acc = make_accumulator()
acc(torch.tensor(2.0))
acc(torch.tensor(3.0))
print(acc(torch.tensor(4.0)))


def outer():
    steps = 0

    def middle():
        def inner():
            nonlocal steps
            steps += 10

        inner()
        return steps

    return middle(), steps


print(outer())
