import torch
logits = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
probs = torch.softmax(logits, dim=0)
print(probs, probs.sum())
probs[2].backward()
print(logits.grad)
