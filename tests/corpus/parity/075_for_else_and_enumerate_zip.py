import torch
xs = torch.tensor([1., 2., 3.])
ws = [0.5, -1.0, 2.0]
acc = 0.0
for i, (xv, wv) in enumerate(zip(xs, ws)):
    acc = acc + xv * wv
    print(i, acc)
else:
    print("done")
acc
