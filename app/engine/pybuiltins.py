"""The Python builtins a program may call, made safe for one run.

Builtins that consume an iterable (`list`, `sum`, `sorted`, ...) run in C and would not stop at
the loop limit (`sum(range(10**12))`), so they consume it here, through `bounded`, first.
Those that accept a callable (`key=`) refuse it: a callable passed in would be called by C code
the allow-list never sees.
"""

from __future__ import annotations

import ast
import builtins
import io
import itertools
import types
from collections.abc import Callable, Iterable
from typing import Any

from app.engine.budget import Budget
from app.engine.functions import UserFunction
from app.engine.namespaces import SafeModule
from app.engine.operators import check_binary
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
        text = io.StringIO()
        builtins.print(*args, **kwargs, file=text)
        output.total += len(text.getvalue())
        budget.output(output.total, where())
        output.buffer.write(text.getvalue())

    def pow_(base: Any, exp: Any, mod: Any = None) -> Any:
        if mod is None and isinstance(base, int) and isinstance(exp, int):
            check_binary(ast.Pow, base, exp, budget, where())
        return builtins.pow(base, exp, mod)

    def consuming(name: str) -> Callable[..., Any]:
        real = getattr(builtins, name)

        def wrapper(*args: Any, **kwargs: Any) -> Any:
            no_key(name, kwargs)
            if args and (name == "sum" or len(args) == 1) and not isinstance(args[0], dict):
                args = (bounded(args[0]), *args[1:])
            return real(*args, **kwargs)

        wrapper.__name__ = name
        return wrapper

    safe: dict[str, Any] = {
        name: getattr(builtins, name)
        for name in "range len float int bool str abs round isinstance repr divmod enumerate "
        "zip reversed".split()
    }
    consumers = "min max sum sorted all any list tuple set dict".split()
    safe.update({name: consuming(name) for name in consumers})
    real_types = {
        id(safe[name]): getattr(builtins, name) for name in ("list", "tuple", "set", "dict")
    }

    def isinstance_(value: Any, kinds: Any) -> bool:
        """`isinstance(v, list)` must see the real type behind the bounded `list` wrapper."""
        if isinstance(kinds, tuple):
            kinds = tuple(real_types.get(id(k), k) for k in kinds)
        else:
            kinds = real_types.get(id(kinds), kinds)
        return builtins.isinstance(value, kinds)

    def type_(value: Any) -> type:
        """One argument only: `type(name, bases, dict)` would build a class. The module
        proxies answer `module` and a program's functions `function`, as the real ones do."""
        if builtins.isinstance(value, SafeModule):
            return types.ModuleType
        if builtins.isinstance(value, UserFunction):
            return types.FunctionType
        return builtins.type(value)

    safe.update(print=print_, pow=pow_, isinstance=isinstance_, type=type_)
    return safe
