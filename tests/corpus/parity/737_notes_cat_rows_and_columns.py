# notes: 001_b66eaa93a75ac302#36
# The REPL session without its prompts and answers.
import torch
A=torch.ones(2,3) #2x3的张量（矩阵）                                     
A
B=2*torch.ones(4,3)#4x3的张量（矩阵）                                    
B
C=torch.cat((A,B),0) #按维数0（行）拼接
C
C.size()
D=2*torch.ones(2,4) #2x4的张量（矩阵）
C=torch.cat((A,D),1)#按维数1（列）拼接
C
C.size()
