import torch
import torch.autograd.forward_ad as fwAD

primal = torch.tensor([1.0, 2.0, 3.0])
tangent = torch.tensor([1.0, 0.0, 0.0])


def fn(x, y):
    return x**2 + y.sin()


with fwAD.dual_level():
    dual = fwAD.make_dual(primal, tangent)
    out = fn(dual, primal)
    unpacked = fwAD.unpack_dual(out)
    print(unpacked.primal, unpacked.tangent)
    p, t = fwAD.unpack_dual(out)
    print(t)
    print(fwAD.unpack_dual(primal).tangent)
print(fwAD.unpack_dual(out).tangent)
jvp = t
print(jvp * 2)
