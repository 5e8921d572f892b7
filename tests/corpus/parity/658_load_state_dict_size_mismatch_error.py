import torch
import torch.nn as nn

small = nn.Linear(2, 3)
large = nn.Linear(4, 3)
state = small.state_dict()
print(list(state.keys()))
large.load_state_dict(state)
