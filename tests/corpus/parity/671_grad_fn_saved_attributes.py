import torch

x = torch.tensor([0.5, 1.5], requires_grad=True)
y = torch.tensor([2.0, 3.0], requires_grad=True)
z = x.exp()
print(z.grad_fn._saved_result)
print(z.grad_fn._saved_result.equal(z))
w = x * y
print(w.grad_fn._saved_self, w.grad_fn._saved_other)
s = x.sin()
print(s.grad_fn._saved_self is x, s.grad_fn._saved_self.equal(x))
p = x.pow(3)
print(p.grad_fn._saved_exponent, p.grad_fn._saved_self)
r = x.sum(dim=0, keepdim=True)
print(r.grad_fn._saved_dim, r.grad_fn._saved_keepdim, r.grad_fn._saved_self_sym_sizes)
m = torch.ones(2, 3, requires_grad=True) @ torch.ones(3, 1)
print(m.grad_fn._saved_self, m.grad_fn._saved_mat2)
w.sum().backward()
w.grad_fn._saved_self
