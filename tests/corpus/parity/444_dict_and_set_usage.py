import torch

grads = {}
params = {'w': torch.tensor(2.0, requires_grad=True), 'b': torch.tensor(1.0, requires_grad=True)}
x = torch.tensor(3.0)
y = params['w'] * x + params['b']
y.backward()
for k, v in params.items():
    grads[k] = v.grad.item()
print(grads, sorted(grads.keys()), list(grads.values()))
print(grads.get('w'), grads.get('z', 0.0))
seen = set()
for v in [1, 2, 2, 3]:
    seen.add(v)
print(len(seen), 2 in seen, " | ".join(sorted(str(s) for s in seen)))
w = params['w']
print(params['missing'])
