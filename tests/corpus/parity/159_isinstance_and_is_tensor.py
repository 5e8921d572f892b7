import torch
x = torch.tensor([1., 2.])
print(isinstance(x, torch.Tensor), torch.is_tensor(x), torch.is_tensor(3))
print(isinstance(x.tolist(), list), isinstance(x.sum().item(), float))
print(torch.numel(x), x.dim(), x.element_size())
