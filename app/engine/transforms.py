"""`torch.func`: grad, grad_and_value, vjp, jvp, jacrev, jacfwd, hessian and vmap.

Each takes a function of the program (wrapped as every callable torch calls back: callbacks.py)
and most return a new function made by torch. Those functions, and the `vjp_fn` that `vjp`
returns, are registered for the run: the program may call them (and hand them to another
transform), and nothing else torch made is callable.

Sizing: inside a transform the program's code sees tensors one example at a time, while torch
computes all of them at once. So while a transformed function runs, every size the budget
checks is multiplied: by the batch for `vmap`, by the differentiated inputs' elements for
`jacrev`/`jacfwd` (a Jacobian has a row or column per input element), for `hessian` too, whose
input-by-input result is checked before it starts. Nested transforms multiply.
"""

from __future__ import annotations

import ast
import warnings
from dataclasses import dataclass, field
from typing import Any

import torch
import torch.func

from app.engine.callbacks import CallBacks

# What each transform makes from the function it is given.
_MAKERS = {
    torch.func.grad: "grad",
    torch.func.grad_and_value: "grad",
    torch.func.jacrev: "jacobian",
    torch.func.jacfwd: "jacobian",
    torch.func.hessian: "hessian",
    torch.func.vmap: "vmap",
}
# Transforms that run the function at once (vjp also returns a function: `vjp_fn`).
_RUNNERS = frozenset({torch.func.vjp, torch.func.jvp})
TRANSFORMS = frozenset([*_MAKERS, *_RUNNERS])
_OPTIONS = {"vmap": ("in_dims", 0), "jacobian": ("argnums", 0), "hessian": ("argnums", 0)}


@dataclass(slots=True)
class Transformed:
    """A function torch made for the program, and how its calls are sized."""

    function: Any  # kept alive with the record: the registry is keyed by its id
    kind: str  # grad | jacobian | hessian | vmap | vjp_fn
    option: Any = None  # vmap's in_dims, a Jacobian's argnums
    extra: dict[str, Any] = field(default_factory=dict)


class Transforms(CallBacks):
    def call_transform(
        self, func: Any, args: list[Any], kwargs: dict[str, Any], node: ast.AST
    ) -> Any:
        """A torch.func transform, or a function one made."""
        made = self.transformed.get(id(func))
        if made is not None:
            with self.budget.scaled(_scale(made, args, self.budget, node)):
                return self.produced(func(*args, **kwargs), node)
        if args:
            args = [self.as_callable(args[0], node), *args[1:]]
        elif "func" in kwargs:
            kwargs = {**kwargs, "func": self.as_callable(kwargs["func"], node)}
        result = self.produced(func(*args, **kwargs), node)
        if func is torch.func.vjp:
            self._register(Transformed(result[1], "vjp_fn"))
        elif func in _MAKERS:
            kind = _MAKERS[func]
            name, default = _OPTIONS.get(kind, ("", None))
            option = args[1] if len(args) > 1 else kwargs.get(name, default)
            self._register(Transformed(result, kind, option))
        return result

    def is_transform(self, func: Any) -> bool:
        if id(func) in self.transformed:
            return True
        try:
            return func in TRANSFORMS
        except TypeError:  # unhashable: not one
            return False

    def _register(self, made: Transformed) -> None:
        self.transformed[id(made.function)] = made


def _scale(made: Transformed, args: list[Any], budget: Any, node: ast.AST) -> int:
    if made.kind == "vmap":
        return _batch_size(args, made.option)
    if made.kind in ("jacobian", "hessian"):
        numel = _numel_at(args, made.option)
        if made.kind == "hessian":
            budget.tensor_elements(numel * numel, node)  # its result, input by input
        return numel
    return 1


def _batch_size(args: list[Any], in_dims: Any) -> int:
    """The size of the dimension vmap maps over (the largest one when the arguments name
    several: torch refuses mismatched ones itself)."""
    dims = in_dims if isinstance(in_dims, tuple | list) else (in_dims,) * len(args)
    sizes = [1]
    for arg, dim in zip(args, dims, strict=False):
        for tensor in _tensors(arg):
            if dim is None:
                continue
            if isinstance(dim, int) and -tensor.dim() <= dim < tensor.dim():
                sizes.append(tensor.shape[dim])
            elif not isinstance(dim, int):  # nested in_dims: the largest size stands for it
                sizes.append(max(tensor.shape, default=1))
    return max(sizes)


def _numel_at(args: list[Any], argnums: Any) -> int:
    numbers = argnums if isinstance(argnums, tuple | list) else (argnums,)
    total = 0
    for number in numbers:
        if isinstance(number, int) and -len(args) <= number < len(args):
            total += sum(tensor.numel() for tensor in _tensors(args[number]))
    return max(total, 1)


def _tensors(value: Any, depth: int = 0) -> list[torch.Tensor]:
    """The tensors in an argument: itself, or inside tuples, lists and dicts (a few levels)."""
    if isinstance(value, torch.Tensor):
        return [value]
    if depth > 4:
        return []
    items = value.values() if isinstance(value, dict) else value
    if isinstance(value, tuple | list | dict):
        return [tensor for item in items for tensor in _tensors(item, depth + 1)]
    return []


def warm_up() -> None:
    """The first torch.func transform, dual level and gradcheck import parts of torch, which
    warn once (`torch.jit.script` is deprecated) and take time: done at start-up, so a run
    shows only its own warnings, as a program in a warm Python does."""
    x = torch.ones(2, dtype=torch.double, requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for transform in (torch.func.grad, torch.func.jacrev, torch.func.jacfwd):
            transform(lambda t: t.sin().sum())(x.detach())
        torch.func.hessian(lambda t: t.sin().sum())(x.detach())
        torch.func.vmap(torch.sin)(x.detach())
        torch.func.vjp(torch.sin, x.detach())[1](x.detach())
        torch.func.jvp(torch.sin, (x.detach(),), (x.detach(),))
        with torch.autograd.forward_ad.dual_level():
            torch.autograd.forward_ad.make_dual(x.detach(), x.detach()).sin()
        torch.autograd.gradgradcheck(torch.sin, (x,))
