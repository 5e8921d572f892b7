"""Functions a program defines with `def`: values only our interpreter can call.

A `UserFunction` holds its definition's AST, its parameter names and the defaults evaluated when
the `def` ran. It has no `__call__`: torch or a builtin handed one cannot run it (they raise
"'function' object is not callable"); only the interpreter calls it, through `Evaluator.call`.
Its attributes start with `_`, which no program can name, so `f.name` is Python's AttributeError.

Scoping is Python's: a name assigned anywhere in the body (or a parameter) is local for the whole
body; reading it before it is assigned is an UnboundLocalError; every other name is a global (the
run's namespace) or a builtin. Argument errors carry CPython's own messages.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Any


class UserFunction:
    # `__name__` per instance and no module: what torch.typename() reads ("f is not a Module
    # subclass"), as for a function defined by exec'd code.
    __slots__ = ("_name", "__name__", "_params", "_defaults", "_body", "_locals", "_node")
    __module__ = None  # type: ignore[assignment]

    def __init__(self, node: ast.FunctionDef, defaults: list[Any]) -> None:
        self._node = node
        self._name = self.__name__ = node.name
        self._params = tuple(parameter.arg for parameter in node.args.args)
        self._defaults = tuple(defaults)
        self._body = node.body
        self._locals = local_names(node)

    def __repr__(self) -> str:
        return f"<function {self._name} at 0x{id(self):x}>"


# Python spells the type of a function `function`; so do its error messages
# ("'function' object is not subscriptable", "... passed to function.__format__").
UserFunction.__name__ = UserFunction.__qualname__ = "function"


@dataclass(slots=True)
class Frame:
    """One call's local variables."""

    names: frozenset[str]
    values: dict[str, Any]


def local_names(node: ast.FunctionDef) -> frozenset[str]:
    """Parameters and every name the body binds (assignment, for, with-as, import, def)."""
    names = {parameter.arg for parameter in node.args.args}
    for child in ast.walk(ast.Module(body=node.body, type_ignores=[])):
        if isinstance(child, ast.Name) and isinstance(child.ctx, ast.Store):
            names.add(child.id)
        elif isinstance(child, ast.alias):
            names.add((child.asname or child.name).split(".")[0])
        elif isinstance(child, ast.FunctionDef):
            names.add(child.name)
    return frozenset(names)


def bind_arguments(function: UserFunction, args: list[Any], kwargs: dict[str, Any]) -> dict:
    """Parameters → values, checked in CPython's order and with its messages."""
    name, params, defaults = function._name, function._params, function._defaults
    values = dict(zip(params, args, strict=False))
    for key, value in kwargs.items():
        if key not in params:
            raise TypeError(f"{name}() got an unexpected keyword argument '{key}'")
        if key in values:
            raise TypeError(f"{name}() got multiple values for argument '{key}'")
        values[key] = value
    if len(args) > len(params):
        raise TypeError(_too_many(name, len(params), len(defaults), len(args)))
    required = params[: len(params) - len(defaults)]
    missing = [param for param in required if param not in values]
    if missing:
        raise TypeError(_missing(name, missing))
    for param, default in zip(params[len(required) :], defaults, strict=True):
        values.setdefault(param, default)
    return values


def _too_many(name: str, count: int, defaults: int, given: int) -> str:
    if defaults:
        takes, plural = f"from {count - defaults} to {count}", "s"
    else:
        takes, plural = str(count), "" if count == 1 else "s"
    was = "was" if given == 1 else "were"
    return f"{name}() takes {takes} positional argument{plural} but {given} {was} given"


def _missing(name: str, missing: list[str]) -> str:
    quoted = [f"'{param}'" for param in missing]
    if len(quoted) == 1:
        listed = quoted[0]
    elif len(quoted) == 2:
        listed = f"{quoted[0]} and {quoted[1]}"
    else:
        listed = ", ".join(quoted[:-1]) + f", and {quoted[-1]}"
    plural = "" if len(quoted) == 1 else "s"
    return f"{name}() missing {len(quoted)} required positional argument{plural}: {listed}"
