import torch


def safe_div(a, b):
    try:
        result = a / b
    except ZeroDivisionError as err:
        print("error:", err)
        return None
    else:
        print("ok")
        return result
    finally:
        print("finally")


print(safe_div(1, 2))
print(safe_div(1, 0))
x = torch.ones(2, 3)
try:
    y = x @ x
except RuntimeError as e:
    print("caught", e)
try:
    raise ValueError("custom", 3)
except (TypeError, ValueError) as e:
    print(e.args)
try:
    try:
        [][1]
    except IndexError:
        print("inner")
        raise
except IndexError as e:
    print("outer", e)
