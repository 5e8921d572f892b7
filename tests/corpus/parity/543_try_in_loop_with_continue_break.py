import torch

results = []
for k in [2, 0, 3, -1, 4]:
    try:
        if k < 0:
            break
        results.append(torch.tensor(6.0) / k if k else 1 / k)
    except ZeroDivisionError as e:
        print("skip", k, e)
        continue
    finally:
        print("checked", k)
print(results)
