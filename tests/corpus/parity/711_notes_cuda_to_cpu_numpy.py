# notes: 001_b66eaa93a75ac302#2
# The REPL session without its prompts; its id(...) lines are left out (memory addresses).
import torch
points_cuda = torch.ones(3, 4).cuda()
points_cpu = points_cuda.cpu()
points_np = points_cuda.cpu().numpy() # 不能把CUDA tensor直接转为numpy. 应先使用Tensor.cpu()把tensor拷贝到memory.
points_np
