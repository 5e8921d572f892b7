# notes: 001_b66eaa93a75ac302#26
# The REPL session without its prompts and answers (the note's older torch raised at the last
# line; torch 2 resizes). Its id(...) and data_ptr() lines are left out: they show addresses, on
# which two runs of real Python never agree either.
import torch
a = torch.rand((3, 4), requires_grad=True)
b = a.detach()
a.requires_grad, b.requires_grad  # b的requires_grad为False
b[0][0] = 1
a[0][0]  # 修改b的值，a的值也会改变
b.resize_((4, 3))  # 报错
