def collect(x, into=[]):
    into.append(x)
    return into
print(collect(1), collect(2))
def uses_later():
    return later * 2
later = 21
print(uses_later())
def first():
    return second() + 1
def second():
    return 1
print(first())
