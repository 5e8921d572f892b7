# notes: 001_b66eaa93a75ac302#1
# The REPL session without its prompts and answers. Its bare id(...) lines are left out: they show
# memory addresses, on which two runs of real Python never agree either.
import numpy as np
import torch
points_np = np.ones(12).reshape(3,4)
points_np
points = torch.from_numpy(points_np)  						# 转换成cpu的tensor数据
points_cuda = torch.from_numpy(points_np).cuda() 	# 转换成gpu的tensor数据
##########################################################
points_np
points
points_cuda
