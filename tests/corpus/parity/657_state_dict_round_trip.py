import torch
import torch.nn as nn

torch.manual_seed(1)
model = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1))
sd = model.state_dict()
for key, value in sd.items():
    print(key, tuple(value.shape), value.requires_grad)
copy = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1))
print(copy.load_state_dict(sd))
print(torch.equal(copy[0].weight, model[0].weight))
sd["2.bias"] = torch.tensor([5.0])
result = copy.load_state_dict(sd)
print(copy[2].bias)
sd["extra"] = torch.ones(1)
print(copy.load_state_dict(sd, strict=False))
with torch.no_grad():
    model[0].weight.fill_(0.5)
print(sd["0.weight"])
kept = model.state_dict(keep_vars=True)
print(kept["0.weight"].requires_grad)
