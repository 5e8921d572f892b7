"""Callables a program hands to torch, which torch calls back: hooks, the function that
gradcheck or jacobian evaluates, `module.apply`'s function.

A program's function becomes a real callable that runs its body in the interpreter; anything else
must be something the program could call itself, and torch's calls to it go through
`Evaluator.call` as the program's own calls do (sized, counted, on the run's clock). Every call
torch makes counts as a loop iteration: gradcheck calls its function twice per input element,
jacobian once per output element. Once the run is over, none of them runs again.

Saved-tensor hooks (`with torch.autograd.graph.saved_tensors_hooks(pack, unpack):`) are the
program's pack and unpack, wrapped so that looking at the graph never runs them.

gradcheck and gradgradcheck are sized too: the inputs' elements (two calls each) against the
loop limit before it starts, and, from the first call's output, the dense Jacobian it builds
(inputs × outputs elements) and its one backward per output element.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import torch

from app.engine import access, classes
from app.engine.budget import Budget
from app.engine.evaluate import Evaluator
from app.engine.functions import UserFunction

# torch functions whose first argument (or `func=`) is a function torch calls.
CALLS_BACK = frozenset(
    [
        *(
            getattr(torch.autograd.functional, name)
            for name in ("jacobian", "hessian", "vjp", "jvp", "hvp", "vhp")
        ),
        torch.autograd.gradcheck,
        torch.autograd.gradgradcheck,
    ]
)
GRADCHECKS = frozenset({torch.autograd.gradcheck, torch.autograd.gradgradcheck})
_CALLABLE_KEYWORDS = ("func", "fn", "hook")


class CallBacks(Evaluator):
    def wrap_callables(
        self, func: Any, args: list[Any], kwargs: dict[str, Any], node: ast.AST
    ) -> tuple[list[Any], dict[str, Any]]:
        """The arguments of a call that hands torch a callable, with that callable made safe."""
        name = getattr(func, "__name__", "")
        owner = getattr(func, "__self__", None)
        takes_callable = (
            func in CALLS_BACK
            or (name == "apply" and isinstance(owner, torch.nn.Module))  # model.apply(fn)
            or (name == "register_hook" and isinstance(owner, torch.Tensor))
        )
        if func is torch.autograd.graph.saved_tensors_hooks:
            return self._saved_tensors_hooks(args, kwargs, node), {}
        if not takes_callable:
            return args, kwargs
        if args:
            args = [self.as_callable(args[0], node), *args[1:]]
        kwargs = {
            key: self.as_callable(value, node) if key in _CALLABLE_KEYWORDS else value
            for key, value in kwargs.items()
        }
        if func in GRADCHECKS:
            args, kwargs = _sized_gradcheck(self.budget, args, kwargs, node)
        return args, kwargs

    def as_callable(self, value: Any, node: ast.AST) -> Any:
        if isinstance(value, UserFunction):
            function = value

            def call_back(*args: Any, **kwargs: Any) -> Any:
                self.budget.iteration(node)
                return self.call_back(function, list(args), kwargs)

            call_back.__name__ = call_back.__qualname__ = function._name
            return call_back
        if classes.is_user_class(type(value)) or classes.user_function(value) is not None:
            return value  # its methods re-enter the interpreter themselves
        allowed = id(value) in self._builtin_ids or self.is_transform(value)
        if not allowed and not classes.is_apply(value):
            access.check_callable(value, node)
        return self._counted(value, node)

    def _saved_tensors_hooks(
        self, args: list[Any], kwargs: dict[str, Any], node: ast.AST
    ) -> list[Any]:
        """`saved_tensors_hooks(pack, unpack)`: torch calls `pack` on each tensor an operation
        saves and `unpack` on what it returned when the backward (or the program reading
        `grad_fn._saved_self`) needs the tensor. When the graph is only looked at (the shapes
        the picture shows, read before a backward and after the run), the program's `unpack`
        is not called: an empty tensor of the saved shape on the meta device stands in."""
        names = ("pack_hook", "unpack_hook")
        given = [*args, *(kwargs[name] for name in names[len(args) :] if name in kwargs)]
        if len(given) != 2 or len(args) + len(kwargs) != 2:
            return [*args, *kwargs.values()]  # torch raises its own TypeError
        pack, unpack = (self.as_callable(value, node) for value in given)

        def pack_hook(tensor: torch.Tensor) -> _Packed:
            return _Packed(pack(tensor), tuple(tensor.shape), tensor.dtype)

        def unpack_hook(packed: _Packed) -> Any:
            if self.observing or not self.active:
                return torch.empty(packed.shape, dtype=packed.dtype, device="meta")
            return unpack(packed.value)

        return [pack_hook, unpack_hook]

    def _counted(self, func: Any, node: ast.AST) -> Callable[..., Any]:
        def counted(*args: Any, **kwargs: Any) -> Any:
            if not self.active:
                raise RuntimeError("the program's run is over: its callables no longer run")
            self.budget.iteration(node)
            saved = self.current
            try:
                return self.call(func, list(args), kwargs, node)
            finally:
                self.current = saved

        counted.__name__ = counted.__qualname__ = getattr(func, "__name__", "function")
        return counted


@dataclass(frozen=True, slots=True)
class _Packed:
    """What `pack` returned, and the saved tensor's shape (never the tensor itself: an
    operation's saved output holding itself would be a cycle torch cannot free)."""

    value: Any
    shape: tuple[int, ...]
    dtype: torch.dtype


def _sized_gradcheck(
    budget: Budget, args: list[Any], kwargs: dict[str, Any], node: ast.AST
) -> tuple[list[Any], dict[str, Any]]:
    inputs = args[1] if len(args) > 1 else kwargs.get("inputs")
    in_numel = _numel(inputs)
    budget.iterations_ahead(2 * in_numel, node)
    func = args[0] if args else kwargs.get("func")
    if not callable(func):
        return args, kwargs  # torch raises its own error

    def sized(*call_args: Any, **call_kwargs: Any) -> Any:
        out = func(*call_args, **call_kwargs)
        out_numel = _numel(out)
        budget.tensor_elements(in_numel * out_numel, node)  # the dense Jacobian
        budget.iterations_ahead(out_numel, node)  # one backward per output element
        return out

    sized.__name__ = sized.__qualname__ = getattr(func, "__name__", "function")
    if args:
        return [sized, *args[1:]], kwargs
    return args, {**kwargs, "func": sized}


def _numel(value: Any) -> int:
    """Elements of a tensor, or of the tensors in a tuple or list (not nested further)."""
    if isinstance(value, torch.Tensor):
        return value.numel()
    if isinstance(value, tuple | list):
        return sum(item.numel() for item in value if isinstance(item, torch.Tensor))
    return 0
