"""Functions a program defines with `def`: values only our interpreter can call.

A `UserFunction` holds its definition's AST, its parameter names and the defaults evaluated when
the `def` ran. It has no `__call__`: torch or a builtin handed one cannot run it (they raise
"'function' object is not callable"); only the interpreter calls it, through `Evaluator.call`.
Its attributes start with `_`, which no program can name, so `f.name` is Python's AttributeError.

Scoping is Python's: a name assigned (or deleted) anywhere in the body, or a parameter, is local
for the whole body, unless the body declares it `global` or `nonlocal`; reading it before it is
assigned is an UnboundLocalError. Any other name is free: it is looked up when it is read (late
binding) in the enclosing calls that have it as a local (unassigned there: NameError, as Python's
"free variable" error), then in the run's namespace (its globals), then among the builtins.
Argument errors carry CPython's own messages.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


class UserFunction:
    # `__name__` per instance and no module: what torch.typename() reads ("f is not a Module
    # subclass"), as for a function defined by exec'd code.
    __slots__ = (
        "_name", "__name__", "_params", "_defaults", "_body", "_locals", "_node", "_owner",
        "_static", "_grad_mode", "_enclosing", "_generator", "_globals", "_nonlocals",
    )  # fmt: skip
    __module__ = None  # type: ignore[assignment]

    def __init__(
        self,
        node: ast.FunctionDef,
        defaults: list[Any],
        qualname: str | None = None,
        static: bool = False,
        grad_mode: Callable[[], Any] | None = None,
        enclosing: tuple[Frame, ...] = (),
    ) -> None:
        """`qualname` is `Class.method` for a method (Python's argument errors name it so);
        `grad_mode` is the class of a `@torch.no_grad()`-style decorator, entered at each call;
        `enclosing` the calls it was defined in (a closure reads their variables as they are
        when it runs, as Python's cells do)."""
        self._node = node
        self.__name__ = node.name
        self._name = qualname or node.name
        self._owner: type | None = None  # the class a method belongs to (for `super()`)
        self._static = static
        self._grad_mode = grad_mode
        self._params = tuple(parameter.arg for parameter in node.args.args)
        self._defaults = tuple(defaults)
        self._body = node.body
        self._enclosing = enclosing
        scope = local_names(node)
        self._locals, self._generator = scope.locals, scope.generator
        self._globals, self._nonlocals = scope.globals, scope.nonlocals

    def __repr__(self) -> str:
        return f"<function {self._name} at 0x{id(self):x}>"


# Python spells the type of a function `function`; so do its error messages
# ("'function' object is not subscriptable", "... passed to function.__format__").
UserFunction.__name__ = UserFunction.__qualname__ = "function"


@dataclass(slots=True)
class Frame:
    """One call's local variables (`names`: the locals it has, assigned yet or not)."""

    names: frozenset[str]
    values: dict[str, Any]
    function: UserFunction | None = None
    enclosing: tuple[Frame, ...] = ()  # outer calls, innermost first
    yielded: list[Any] | None = None  # a generator's values so far

    def outer(self) -> tuple[Frame, ...]:
        """What a function or comprehension defined in this call sees around it."""
        return (self, *self.enclosing)

    def declared_global(self, name: str) -> bool:
        return self.function is not None and name in self.function._globals

    def declared_nonlocal(self, name: str) -> bool:
        return self.function is not None and name in self.function._nonlocals

    def free_frame(self, name: str) -> Frame | None:
        """The enclosing call a free name belongs to; None for a global. A `global` declaration
        in a call between hides the outer ones' locals, as CPython's symbol table does."""
        for scope in self.enclosing:
            if name in scope.names:
                return scope
            if scope.declared_global(name):
                return None
        return None


# Nodes with a scope of their own: names bound inside them are not the function's.
_OWN_SCOPE = (
    ast.FunctionDef, ast.Lambda, ast.ClassDef, ast.ListComp, ast.SetComp, ast.DictComp,
    ast.GeneratorExp,
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Scope:
    locals: frozenset[str]
    generator: bool  # the body yields
    globals: frozenset[str]  # declared `global` in the body
    nonlocals: frozenset[str]  # declared `nonlocal` in the body


def local_names(node: ast.FunctionDef) -> Scope:
    """Parameters and every name the body binds (assignment, for, with-as, import, def, class,
    except-as, del) less the ones it declares global or nonlocal; and whether it yields."""
    names = {parameter.arg for parameter in node.args.args}
    declared: dict[type, set[str]] = {ast.Global: set(), ast.Nonlocal: set()}
    generator = False
    stack: list[ast.AST] = list(node.body)
    while stack:
        child = stack.pop()
        if isinstance(child, ast.Name) and isinstance(child.ctx, ast.Store | ast.Del):
            names.add(child.id)
        elif isinstance(child, ast.Global | ast.Nonlocal):
            declared[type(child)].update(child.names)
        elif isinstance(child, ast.alias):
            names.add((child.asname or child.name).split(".")[0])
        elif isinstance(child, ast.ExceptHandler) and child.name:
            names.add(child.name)
        elif isinstance(child, ast.Yield):
            generator = True
        if isinstance(child, ast.FunctionDef | ast.ClassDef):
            names.add(child.name)
            stack.extend(child.decorator_list)
            if isinstance(child, ast.FunctionDef):
                stack.extend(child.args.defaults)
        elif isinstance(child, _OWN_SCOPE):
            if isinstance(child, ast.Lambda):
                stack.extend(child.args.defaults)
            else:  # a comprehension's first iterable is evaluated in the enclosing scope
                stack.append(child.generators[0].iter)  # type: ignore[union-attr]
        else:
            stack.extend(ast.iter_child_nodes(child))
    globals_, nonlocals = frozenset(declared[ast.Global]), frozenset(declared[ast.Nonlocal])
    return Scope(frozenset(names) - globals_ - nonlocals, generator, globals_, nonlocals)


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
