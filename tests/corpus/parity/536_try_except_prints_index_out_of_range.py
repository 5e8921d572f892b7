import torch

try:
    x = torch.arange(3)
    v = x[5]
except RuntimeError as e:
    print("RuntimeError:", e)
except (IndexError, ValueError, TypeError) as e:
    print(type(e) is IndexError, "other:", e)
else:
    print("no error")
finally:
    print("done")
