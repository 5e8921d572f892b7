import torch

try:
    a = torch.ones(2)
    b = torch.ones(2, dtype=torch.long)
    c = a.dot(b)
except RuntimeError as e:
    print("RuntimeError:", e)
except (IndexError, ValueError, TypeError) as e:
    print(type(e) is IndexError, "other:", e)
else:
    print("no error")
finally:
    print("done")
