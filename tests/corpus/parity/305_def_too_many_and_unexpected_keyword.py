def f(a, b=1):
    return a + b
print(f(1), f(1, 2), f(b=3, a=4))
f(1, c=2)
