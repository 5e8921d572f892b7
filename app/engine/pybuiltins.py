"""The Python builtins a program may call, made safe for one run.

Builtins that consume an iterable (`list`, `sum`, `sorted`, ...) run in C and would not stop at
the loop limit (`sum(range(10**12))`), so they consume it here, through `bounded`, first.
Those that accept a callable (`key=`) refuse it: a callable passed in would be called by C code
the allow-list never sees. Those whose one call can cost far more than its arguments' size are
sized first: `round(1, -10**7)` (a 10⁷-digit power), `sum(lists, [])` (quadratic copying),
`sum`/`pow`/`max` over tensors (broadcasting), `print`/`repr`/`str` of a list that shares its
sublists (see containers.py). What they print carries no heap address (display.py).
"""

from __future__ import annotations

import ast
import builtins
import io
import itertools
import math
import types
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from app.engine import containers
from app.engine.budget import Budget
from app.engine.display import clean, shown
from app.engine.functions import UserFunction
from app.engine.namespaces import SafeModule
from app.engine.operators import check_binary
from app.engine.sizing import broadcast_numel, pairwise_numel
from app.lang.errors import NotAllowed, Span


class Output:
    """Printed text of the current step, counted against the run's output limit."""

    __slots__ = ("buffer", "total")

    def __init__(self) -> None:
        self.buffer = io.StringIO()
        self.total = 0

    def take(self) -> str:
        text = self.buffer.getvalue()
        self.buffer = io.StringIO()
        return text


def make_builtins(budget: Budget, output: Output, where: Callable[[], ast.AST]) -> dict[str, Any]:
    """Fresh wrappers per run; `where()` gives the node being evaluated, for error spans."""

    def bounded(iterable: Iterable[Any]) -> list[Any]:
        if hasattr(iterable, "__len__"):
            budget.sequence(len(iterable), where())  # type: ignore[arg-type]
        budget.rows_ahead(iterable, where())
        items = list(itertools.islice(iterable, budget.limits.max_sequence_len + 1))
        budget.sequence(len(items), where())
        return items

    def no_key(name: str, kwargs: dict[str, Any]) -> None:
        if "key" in kwargs:
            raise NotAllowed(f"{name}(key=...) not allowed", Span.of(where()))

    def print_(*args: Any, **kwargs: Any) -> None:
        for key in kwargs:
            if key not in ("sep", "end", "flush"):
                raise NotAllowed(f"print({key}=...) not allowed", Span.of(where()))
        builtins.print(**kwargs, file=io.StringIO())  # Python's own errors for sep=1, end=[]
        sep, end = kwargs.get("sep"), kwargs.get("end")
        sep = " " if sep is None else sep
        text = shown_all(args, sep, output.total, "printing")
        text += "\n" if end is None else end
        output.total += len(text)
        budget.output(output.total, where())
        output.buffer.write(text)

    def shown_all(values: Iterable[Any], sep: str, start: int, what: str) -> str:
        """The values' text joined, counted against the output limit part by part, before
        the parts are joined: 1,500 copies of a long string never become one."""
        parts, total = [], start
        for value in values:
            containers.walked((value,), budget, what, where())
            parts.append(shown(value))
            total += len(parts[-1]) + len(sep)
            budget.output(total, where())
        return sep.join(parts)

    def repr_(value: Any) -> str:
        containers.walked((value,), budget, "repr of", where())
        return clean(builtins.repr(value))

    def str_(*args: Any, **kwargs: Any) -> str:
        containers.walked(args[:1], budget, "str of", where())
        text = builtins.str(*args, **kwargs)
        return text if args and type(args[0]) is str else clean(text)

    def pow_(base: Any, exp: Any, mod: Any = None) -> Any:
        if mod is None and isinstance(base, int) and isinstance(exp, int):
            check_binary(ast.Pow, base, exp, budget, where())
        budget.tensor_elements(broadcast_numel([base, exp, mod]), where())
        return builtins.pow(base, exp, mod)

    def round_(number: Any, ndigits: Any = None) -> Any:
        """Rounding an int to -n digits computes 10**n first."""
        if isinstance(number, int) and isinstance(ndigits, int) and ndigits < 0:
            bits = math.ceil(-ndigits * math.log2(10)) if ndigits > -(10**9) else 10**9
            budget.integer(bits, where())
        return builtins.round(number, ndigits)

    def consuming(name: str) -> Callable[..., Any]:
        real = getattr(builtins, name)

        def wrapper(*args: Any, **kwargs: Any) -> Any:
            no_key(name, kwargs)
            if args and (name == "sum" or len(args) == 1) and not isinstance(args[0], dict):
                args = (bounded(args[0]), *args[1:])
            if name in COMPARING and args:
                compared(args if len(args) > 1 else args[0], name)
            if name == "sum" and args:
                return sum_(args[0], *args[1:], **kwargs)
            return real(*args, **kwargs)

        wrapper.__name__ = name
        return wrapper

    def compared(items: Iterable[Any], name: str) -> None:
        """min/max/sorted compare items pairwise: lists item by item, tensors broadcast."""
        items = list(items)
        containers.walked(items, budget, f"{name}() over", where())
        budget.tensor_elements(pairwise_numel(containers.tensor_compares(items)), where())

    def sum_(items: list[Any], start: Any = 0) -> Any:
        """`sum(lists, [])` concatenates: its result is sized first, and built in one pass
        (adding one list at a time copies the total so far each time)."""
        tensors = containers.tensor_compares([start, *items])
        budget.tensor_elements(broadcast_numel(tensors), where())
        if not isinstance(start, list | tuple) or not items:
            return builtins.sum(items, start)
        if not all(type(item) is type(start) for item in items):
            return builtins.sum(items, start)  # Python's own TypeError (or a tensor's add)
        budget.sequence(len(start) + builtins.sum(len(item) for item in items), where())
        return type(start)(itertools.chain(start, *items))

    def iterating(name: str) -> Callable[..., Iterator[Any]]:
        """zip/enumerate make a tuple per item: each is a container the program built."""
        real = getattr(builtins, name)

        def wrapper(*args: Any, **kwargs: Any) -> Iterator[Any]:
            for arg in args:
                budget.rows_ahead(arg, where())
            for item in real(*args, **kwargs):
                containers.check_built(item, budget, where())
                yield item

        wrapper.__name__ = name
        return wrapper

    safe: dict[str, Any] = {
        name: getattr(builtins, name)
        for name in "range len float int bool abs isinstance divmod reversed".split()
    }
    consumers = "min max sum sorted all any list tuple set dict".split()
    safe.update({name: consuming(name) for name in consumers})
    safe.update({name: iterating(name) for name in ("zip", "enumerate")})
    safe.update(repr=repr_, round=round_)
    for name in ("list", "tuple", "set", "dict"):
        stands_for(safe[name], getattr(builtins, name))

    def isinstance_(value: Any, kinds: Any) -> bool:
        """`isinstance(v, list)` must see the real type behind the bounded `list` wrapper."""
        return builtins.isinstance(value, real_types(kinds))

    def issubclass_(value: Any, kinds: Any) -> bool:
        return builtins.issubclass(real_types(value), real_types(kinds))

    def type_(value: Any) -> type:
        """One argument only: `type(name, bases, dict)` would build a class. The module
        proxies answer `module` and a program's functions `function`, as the real ones do."""
        if builtins.isinstance(value, SafeModule):
            return types.ModuleType
        if builtins.isinstance(value, UserFunction):
            return types.FunctionType
        return builtins.type(value)

    safe.update(print=print_, pow=pow_, isinstance=isinstance_, issubclass=issubclass_)
    safe.update(type=type_)
    for name, value in safe.items():
        if isinstance(value, types.FunctionType):
            value.__name__ = value.__qualname__ = name  # `<function print>`, not a closure
    safe["str"] = str_
    stands_for(str_, str)
    return safe


def stands_for(wrapper: Callable[..., Any], kind: type) -> None:
    """Mark a bounded wrapper (`list`, `str`, `collections.OrderedDict`, ...) as the type it
    makes: the program's name is then the type itself (wrapped_types)."""
    wrapper._real_type = kind  # type: ignore[attr-defined]


def wrapped_types(namespace: dict[str, Any]) -> dict[int, Callable[..., Any]]:
    """Put each type back in place of the bounded wrapper that stands for it, so a name that
    is a type in Python is that type here (`type(x) is list`, `isinstance(d, OrderedDict)`,
    `print(dict)`); the answer maps each type's id to the wrapper a call of it goes through."""
    wrappers: dict[int, Callable[..., Any]] = {}
    for name, value in list(namespace.items()):
        kind = getattr(value, "_real_type", None) if isinstance(value, types.FunctionType) else None
        if kind is not None:
            namespace[name] = kind
            wrappers[id(kind)] = value
    return wrappers


def real_types(kinds: Any) -> Any:
    """The second argument of isinstance/issubclass with each wrapper replaced by its type."""
    if builtins.isinstance(kinds, tuple):
        return tuple(real_types(kind) for kind in kinds)
    if builtins.isinstance(kinds, types.FunctionType):
        return getattr(kinds, "_real_type", kinds)
    return kinds


COMPARING = frozenset({"min", "max", "sorted"})
