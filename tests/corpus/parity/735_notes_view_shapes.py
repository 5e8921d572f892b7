# notes: 001_b66eaa93a75ac302#33, 001_b66eaa93a75ac302#35
# Two REPL sessions without their prompts (`>>>`, `...`) and answers.
import torch
tt1=torch.tensor([-0.3623, -0.6115,  0.7283,  0.4699,  2.3261,  0.1599])
result=tt1.view(3,2)
result
import torch
tt3=torch.tensor([[-0.3623, -0.6115],
        [ 0.7283,  0.4699],
        [ 2.3261,  0.1599]])
result=tt3.view(2,-1)
result
