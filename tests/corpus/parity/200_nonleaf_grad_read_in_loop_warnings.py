import torch
x = torch.tensor(1.0, requires_grad=True)
hs = [x * 2, x * 3]
(hs[0] + hs[1]).backward()
for h in hs:
    print(h.grad)
x.grad
