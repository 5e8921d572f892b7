import torch
import torch.nn.functional as F

labels = torch.tensor([0, 2, 1])
oh = F.one_hot(labels)
print(oh, oh.dtype)
logits = torch.randn(3, 3, requires_grad=True)
loss = torch.nn.NLLLoss()(F.log_softmax(logits, dim=1), labels)
loss.backward()
print(logits.grad.sum(dim=1))
