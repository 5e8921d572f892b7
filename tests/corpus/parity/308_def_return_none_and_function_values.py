def nothing():
    pass
def early(n):
    if n > 0:
        return
    return 'negative'
print(nothing(), early(1), early(-1))
def double(x):
    return 2 * x
f = double
fs = [double, nothing]
print(f(4), fs[0](5), fs[1]())
print(double)
print(type(double), f is double)
double
nothing()
