# notes: 001_b66eaa93a75ac302#4
# The REPL session without its prompts and answers; the bare id(points_np) is left out (an address).
import torch
points_cpu = torch.ones(3, 4)
points_np = points_cpu.numpy()
points_cpu
points_np
id(points_cpu)==id(points_np)
type(points_cpu)
type(points_np)
