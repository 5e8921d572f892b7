import torch
x = torch.tensor([1.0, -2.0, 3.0], requires_grad=True)
opt = torch.optim.Adam([x], lr=0.1)
for i in range(20):
    opt.zero_grad()
    loss = (x ** 2).sum()
    loss.backward()
    opt.step()
print(loss)
x
opt2 = torch.optim.Adam([x], lr=0.01, betas=(0.8, 0.9), amsgrad=True)
opt2.zero_grad()
(x ** 3).sum().backward()
opt2.step()
x
