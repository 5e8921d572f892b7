# notes: 001_b66eaa93a75ac302#3
# The note's typo is kept: a `.` ends the line of `y`, so Python refuses the program.
import torch
x  = torch.rand([3,3], device='cuda')
x_ = x.cpu().numpy()

y  = torch.rand([3,3], requires_grad=True, device='cuda').
y_ = y.cpu().detach().numpy()
# y_ = y.detach().cpu().numpy() 也可以
