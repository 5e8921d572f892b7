# notes: 004_57f8a590851dd438#28
import torch
torch.cuda.is_available()
