# notes: 001_b66eaa93a75ac302#34
# The REPL session without its prompts. The note's typo is kept: `一行` ("one row") follows the call
# without a `#`, so Python refuses the line.
import torch
tt2=torch.tensor([[-0.3623, -0.6115],
        [ 0.7283,  0.4699],
        [ 2.3261,  0.1599]])
result=tt2.view(-1) 一行
result
