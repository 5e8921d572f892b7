import torch
w = torch.tensor(1.5, requires_grad=True)
terms = []
for k in range(4):
    terms.append(w ** k)
terms.insert(0, w * 0)
last = terms.pop()
total = sum(terms)
print(len(terms), total, last)
total.backward()
w.grad
