"""The numpy subset teaching code uses, as a per-run proxy whose functions are sized first.

numpy allocates in C with no budget of its own, so every function here is a wrapper that checks,
before calling numpy, how many elements the result can have (from the arguments' shapes and
sizes, never by computing it), and counts the result against the run's allowance after. Arrays of
objects or strings are refused (their elements would be Python objects or unbounded text).

What is here: array creation from data and from sizes, arithmetic and reductions, `dot`/`matmul`,
`np.random` (a `RandomState` seeded with 0 per run, as torch's generator is, so `np.random.seed`
in a program moves only its own numbers), dtypes and `astype`; with `Tensor.numpy()` and
`torch.from_numpy` a program moves data between the two. What is not: files (`load`, `save`,
`loadtxt`, `tofile`, `memmap`), `ctypes`, `np.lib`, buffers, and anything else not listed.
"""

from __future__ import annotations

import ast
import math
from collections.abc import Callable
from typing import Any

import numpy as np

from app.engine.budget import Budget
from app.engine.namespaces import SafeModule
from app.lang.errors import NotAllowed, Span

Where = Callable[[], ast.AST]
_SIZED = ("zeros", "ones", "eye", "arange", "linspace", "full")
_ELEMENTWISE = (
    "exp log sqrt sin cos tanh abs square maximum minimum clip sum mean max min argmax argmin "
    "round std var sign floor ceil"
).split()
_RANDOM_SIZED = ("rand", "randn", "normal", "uniform", "randint", "permutation")
CONSTANTS = {"pi": np.pi, "e": np.e, "inf": np.inf, "nan": np.nan, "newaxis": None}
DTYPES = ("float32", "float64", "int64", "int32", "bool_")


def numpy_module(budget: Budget, where: Where) -> SafeModule:
    """A fresh `numpy` for one run."""
    checks = _Checks(budget, where)
    members: dict[str, Any] = {**CONSTANTS, "__version__": np.__version__}
    members.update({name: getattr(np, name) for name in DTYPES})
    for name in ("array", "asarray"):
        members[name] = checks.wrap(getattr(np, name), checks.data)
    for name in _SIZED:
        members[name] = checks.wrap(getattr(np, name), checks.sized(name))
    for name in _ELEMENTWISE:
        members[name] = checks.wrap(getattr(np, name), checks.broadcast)
    for name in ("dot", "matmul", "outer"):
        members[name] = checks.wrap(getattr(np, name), checks.product)
    for name in ("concatenate", "stack"):
        members[name] = checks.wrap(getattr(np, name), checks.joined)
    members["random"] = _random(checks)
    return SafeModule("numpy", members)


def _random(checks: _Checks) -> SafeModule:
    """`numpy.random`, seeded 0 for each run; its generator is made at the run's first call
    (making one costs more than the rest of a small run's modules, and few runs use it)."""
    made: list[np.random.RandomState] = []

    def method(name: str) -> Callable[..., Any]:
        def call(*args: Any, **kwargs: Any) -> Any:
            if not made:
                made.append(np.random.RandomState(0))
            return getattr(made[0], name)(*args, **kwargs)

        call.__name__ = call.__qualname__ = name
        return call

    members: dict[str, Any] = {"seed": method("seed"), "shuffle": method("shuffle")}
    for name in _RANDOM_SIZED:
        members[name] = checks.wrap(method(name), checks.random_size(name))
    return SafeModule("numpy.random", members)


class _Checks:
    """Pre-call size checks; each returns the largest element count the call can produce."""

    def __init__(self, budget: Budget, where: Where) -> None:
        self.budget = budget
        self.where = where

    def wrap(self, func: Callable[..., Any], size: Callable[..., int]) -> Callable[..., Any]:
        def checked(*args: Any, **kwargs: Any) -> Any:
            check_dtype(kwargs.get("dtype"), self.where())
            self.budget.tensor_elements(size(*args, **kwargs), self.where())
            return func(*args, **kwargs)

        checked.__name__ = checked.__qualname__ = getattr(func, "__name__", "function")
        return checked

    def data(self, data: Any = None, dtype: Any = None, *args: Any, **kwargs: Any) -> int:
        """Leaves of nested lists, counted up to the limit (a list may repeat one big list)."""
        check_dtype(dtype, self.where())
        cap = self.budget.limits.max_tensor_elements
        count, stack = 0, [data]
        while stack and count <= cap:
            item = stack.pop()
            if isinstance(item, list | tuple):
                stack.extend(item)
            elif isinstance(item, str | bytes | dict | set):
                raise NotAllowed("numpy arrays of objects or strings not supported",
                                 Span.of(self.where()))  # fmt: skip
            else:
                count += item.size if isinstance(item, np.ndarray) else 1
        return count

    def sized(self, name: str) -> Callable[..., int]:
        def size(*args: Any, **kwargs: Any) -> int:
            if name == "arange":
                return _arange_length(*args, **kwargs)
            if name == "linspace":
                return _as_count(args[2] if len(args) > 2 else kwargs.get("num", 50))
            if name == "full" and not isinstance(
                args[1] if len(args) > 1 else kwargs.get("fill_value"), int | float
            ):
                raise NotAllowed("np.full with a value that is not a number not supported",
                                 Span.of(self.where()))  # fmt: skip
            if name == "eye":
                rows = _as_count(args[0] if args else kwargs.get("N", 0))
                return rows * _as_count(args[1] if len(args) > 1 else kwargs.get("M") or rows)
            return _shape_count(args[0] if args else kwargs.get("shape", ()))

        return size

    def random_size(self, name: str) -> Callable[..., int]:
        def size(*args: Any, **kwargs: Any) -> int:
            if name in ("rand", "randn"):
                return math.prod(_as_count(a) for a in args)
            if name == "permutation":
                return _as_count(args[0]) if args and isinstance(args[0], int) else 0
            place = {"normal": 2, "uniform": 2, "randint": 2}[name]
            return _shape_count(args[place] if len(args) > place else kwargs.get("size"))

        return size

    def broadcast(self, *args: Any, **kwargs: Any) -> int:
        shapes = [np.shape(a) for a in args if isinstance(a, np.ndarray)]
        try:
            return math.prod(np.broadcast_shapes(*shapes)) if len(shapes) > 1 else 0
        except ValueError:  # numpy raises its own error
            return 0

    def product(self, a: Any = None, b: Any = None, *rest: Any, **kwargs: Any) -> int:
        return array_product_numel(a, b)

    def joined(self, arrays: Any = (), *rest: Any, **kwargs: Any) -> int:
        if not isinstance(arrays, list | tuple):
            return 0
        self.budget.sequence(len(arrays), self.where())
        return sum(int(np.size(a)) for a in arrays if isinstance(a, np.ndarray))


def array_product_numel(a: Any, b: Any) -> int:
    """`a @ b`, `np.dot`, `np.outer`: the result's size from the shapes alone."""
    if not isinstance(a, np.ndarray) or not isinstance(b, np.ndarray):
        return 0
    if a.ndim <= 1 and b.ndim <= 1:
        return a.size * b.size  # outer's; dot's is 1
    rows = math.prod(a.shape[:-1]) if a.ndim > 1 else 1
    cols = b.shape[-1] if b.ndim > 1 else 1
    return rows * cols * max(math.prod(b.shape[:-2]), 1)


def broadcast_numel(left: Any, right: Any) -> int:
    """Elements of an elementwise result between arrays (and scalars)."""
    shapes = [np.shape(v) for v in (left, right) if isinstance(v, np.ndarray)]
    try:
        return math.prod(np.broadcast_shapes(*shapes)) if len(shapes) > 1 else 0
    except ValueError:
        return 0


def check_index(index: Any, node: ast.AST) -> None:
    """Several index arrays broadcast against each other (`a[i[:, None], j]`): one at most."""
    parts = index if isinstance(index, tuple) else (index,)
    if sum(isinstance(p, np.ndarray | list) for p in parts) > 1:
        raise NotAllowed("indexing a numpy array with several index arrays not supported",
                         Span.of(node))  # fmt: skip


def check_dtype(dtype: Any, node: ast.AST) -> None:
    """Refuse object, string and other non-numeric dtypes before numpy allocates them."""
    if dtype is None:
        return
    try:
        kind = np.dtype(dtype).kind
    except TypeError:
        return  # numpy raises its own error
    if kind not in "biuf":
        raise NotAllowed("numpy arrays of objects or strings not supported", Span.of(node))


def check_array(value: np.ndarray, node: ast.AST) -> None:
    if value.dtype.kind in "OUSV":
        raise NotAllowed("numpy arrays of objects or strings not supported", Span.of(node))


def _arange_length(*args: Any, **kwargs: Any) -> int:
    numbers = [a for a in args if isinstance(a, int | float)]
    if len(numbers) == 1:
        start, stop, step = 0, numbers[0], 1
    elif len(numbers) >= 2:
        start, stop = numbers[0], numbers[1]
        step = numbers[2] if len(numbers) > 2 else kwargs.get("step", 1)
    else:
        return 0
    if not isinstance(step, int | float) or step == 0:
        return 0
    length = (stop - start) / step
    return max(math.ceil(length), 0) if math.isfinite(length) else 0


def _as_count(value: Any) -> int:
    return max(int(value), 0) if isinstance(value, int | float) and math.isfinite(value) else 0


def _shape_count(shape: Any) -> int:
    if shape is None:
        return 1
    if isinstance(shape, int):
        return max(shape, 0)
    if isinstance(shape, list | tuple):
        return math.prod(_as_count(s) for s in shape)
    return 0
