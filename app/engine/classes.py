"""Classes a program defines with `class`: real classes whose methods re-enter the interpreter.

PyTorch calls back into user code (a Module's `forward` through `__call__`, a Dataset's
`__getitem__` from a DataLoader, a Function's `forward`/`backward` from the autograd engine), so a
`class` statement builds a real subclass. Each method in it is a small wrapper that hands its
arguments to the interpreter, which runs the method's body with the run's budget and allow-lists
in force. Calls the program makes itself (`model.fit(x)`) skip the wrapper: the interpreter finds
the method's definition on it and runs it directly, so errors carry the program's lines.

What a class may be built from: `object`, `torch.nn.Module`, `torch.utils.data.Dataset`,
`torch.autograd.Function`, or another class of the same run. What a program may reach on one:
the names its own class bodies define, the attributes its methods assigned, and, for a Module,
the Module attributes on the allow-list (`parameters`, ...) and its submodules and parameters; on
a Function class, `apply`; on a Function's `ctx`, the context methods below and what the program
stored on it. A program may set attributes on its own classes (`Counter.count += 1`), never one
a torch base class or `object` defines, and never on any class but its own. Everything starting
with `_` stays out (the language refuses it by name), except the protocol methods PyTorch and
Python call: `__init__`, `__len__`, `__getitem__`.

Classes are made per run and hold the run's interpreter: nothing of one run is reachable from the
next, and once the run is over a wrapper refuses to run (a repr taken later cannot re-enter).
"""

from __future__ import annotations

import types
from collections.abc import Callable
from typing import Any

import torch
from torch.autograd.function import BackwardCFunction
from torch.utils.data import Dataset

from app.engine.functions import UserFunction
from app.lang import allowlist

PROTOCOL_DUNDERS = frozenset({"__init__", "__len__", "__getitem__"})
BASES: tuple[type, ...] = (object, torch.nn.Module, Dataset, torch.autograd.Function)
# What torch's base `__init__`s may be called through `super().__init__()`.
_BASE_INITS = frozenset(
    {object.__init__, torch.nn.Module.__init__, torch.autograd.Function.__init__}
)

# A Function's ctx is also its output's grad_fn: it has a graph node's attributes too.
CTX_READABLE = allowlist.CTX_ATTRIBUTES | allowlist.NODE_ATTRIBUTES

# Methods of torch's bases a program's class may define over them: the ones torch means to be
# overridden. Others (`parameters`, `named_parameters`, `state_dict`, ...) would be called after
# the run too (the graph reads a Module's parameters), when the program's methods no longer run.
OVERRIDABLE = (
    frozenset({"forward", "backward", "extra_repr", "reset_parameters"}) | PROTOCOL_DUNDERS
)

CallBack = Callable[[UserFunction, list[Any], dict[str, Any]], Any]


class UserObject:
    """Marks the classes a program made (mixed in last, so it changes no lookup)."""

    __slots__ = ()
    _user_names: frozenset[str] = frozenset()
    _call_back: CallBack


class BaseInit:
    """`super().__init__` resolved to a torch base class's own `__init__`."""

    __slots__ = ("bound",)

    def __init__(self, bound: Callable[..., Any]) -> None:
        self.bound = bound


def make_class(
    name: str,
    bases: list[Any],
    members: dict[str, Any],
    methods: dict[str, UserFunction],
    call: CallBack,
    qualname: str | None = None,
) -> type:
    """The real class for a `class` statement; `call` runs a method's body in the interpreter."""
    for base in bases:
        if not (base in BASES or is_user_class(base)):
            raise BaseNotAllowed(base)
    _check_overrides(bases, [*members, *methods])
    namespace: dict[str, Any] = dict(members)
    for method_name, function in methods.items():
        namespace[method_name] = _wrapper(function, call)
    own = frozenset(n for n in namespace if not n.startswith("_"))
    inherited = frozenset().union(*(getattr(b, "_user_names", frozenset()) for b in bases))
    namespace.update(__module__="__main__", __qualname__=qualname or name)
    namespace.update(_user_names=own | inherited, _call_back=call)
    real_bases = tuple(b for b in bases if b is not object)
    if not any(is_user_class(b) for b in real_bases):
        real_bases = (*real_bases, UserObject)  # UserObject's own base is object
    cls = type(name, real_bases, namespace)
    for function in methods.values():
        function._owner = cls
    return cls


class BaseNotAllowed(Exception):
    """Raised for a base outside BASES, or a member that would replace one of torch's; the
    interpreter reports it as NotAllowed."""

    def __init__(self, base: Any, replaces: str | None = None) -> None:
        shown = getattr(base, "__name__", type(base).__name__)
        if replaces is not None:
            super().__init__(
                f"{replaces} (not supported: only forward, backward, extra_repr, "
                "reset_parameters and the protocol methods may be defined again)"
            )
            return
        super().__init__(
            f"a class based on {shown} not allowed (only object, torch.nn.Module, "
            "torch.utils.data.Dataset, torch.autograd.Function or a class of the program)"
        )


def _check_overrides(bases: list[Any], names: list[str]) -> None:
    torch_bases = [b for b in BASES[1:] if any(issubclass(base, b) for base in bases)]
    for name in names:
        for base in torch_bases:
            if name not in OVERRIDABLE and hasattr(base, name):
                raise BaseNotAllowed(base, f"'{name}' would replace {base.__name__}'s own")


def _wrapper(function: UserFunction, call: CallBack) -> Any:
    """What PyTorch or Python calls: hands the arguments to the interpreter."""

    def method(*args: Any, **kwargs: Any) -> Any:
        return call(function, list(args), kwargs)

    method.__name__ = function._node.name
    method.__qualname__ = function._name
    method._user_function = function  # type: ignore[attr-defined]
    return staticmethod(method) if function._static else method


def is_user_class(value: Any) -> bool:
    return isinstance(value, type) and issubclass(value, UserObject)


def user_function(func: Any) -> tuple[UserFunction, list[Any]] | None:
    """A program's method reached as `obj.method` or `Cls.method`: its definition, and the
    instance to pass first when it is bound."""
    if isinstance(func, types.MethodType):
        inner = getattr(func.__func__, "_user_function", None)
        if isinstance(inner, UserFunction):
            return inner, [func.__self__]
    elif isinstance(func, types.FunctionType):
        inner = getattr(func, "_user_function", None)
        if isinstance(inner, UserFunction):
            return inner, []
    return None


def is_apply(func: Any) -> bool:
    """`MyFunction.apply`: torch's classmethod bound to a program's Function class."""
    return (
        isinstance(func, types.MethodType)
        and is_user_class(func.__self__)
        and issubclass(func.__self__, torch.autograd.Function)
        and func.__name__ == "apply"
    )


def is_user_ctx(value: Any) -> bool:
    """The `ctx` torch passes to a program's Function (also that Function's `grad_fn`)."""
    return isinstance(value, BackwardCFunction) and is_user_class(
        getattr(type(value), "_forward_cls", None)
    )


def readable(value: Any, name: str) -> bool:
    """Whether a program may read `value.name` (the language refused `_` names already)."""
    if name.startswith("_"):
        return False
    if is_user_class(value):
        return has_user_name(value, name) or (
            name == "apply" and issubclass(value, torch.autograd.Function)
        )
    if is_user_ctx(value):
        return name in CTX_READABLE or name in vars(value)
    if has_user_name(type(value), name) or name in vars(value):
        return True
    if isinstance(value, torch.nn.Module):
        return name in allowlist.MODULE_ATTRIBUTES or any(
            name in table for table in (value._modules, value._parameters, value._buffers)
        )
    return False


def writable(value: Any, name: str) -> bool:
    """Instances, ctx objects and the program's own classes (`Counter.count += 1`) take new
    attributes; a name torch's base class or `object` defines (`forward`, `parameters`,
    `saved_tensors`, `mro`, ...) cannot be replaced. No class but the program's own is."""
    if name.startswith("_"):
        return False
    if isinstance(value, type):
        return is_user_class(value) and not hasattr(_torch_base(value), name)
    if is_user_ctx(value):
        return not hasattr(type(value), name)
    return not hasattr(_torch_base(type(value)), name)


def set_class_attribute(cls: type, name: str, value: Any) -> None:
    """`Counter.count = 0`: set on the program's class, and readable from then on. A function
    set there becomes a method, as in Python (`A.g = f; A().g()` passes the instance)."""
    if isinstance(value, UserFunction):
        value = _wrapper(value, cls._call_back)
    setattr(cls, name, value)
    if name not in cls._user_names:
        cls._user_names = cls._user_names | {name}


def has_user_name(cls: type, name: str) -> bool:
    """Defined by the program on this class or one it extends (set later too)."""
    return any(name in vars(b).get("_user_names", ()) for b in cls.__mro__)


def _torch_base(cls: type) -> type:
    return next(b for b in cls.__mro__ if not is_user_class(b))


def super_attribute(value: super, name: str) -> Any:
    """`super().__init__` (a user class's, or torch's base one) and the program's own methods."""
    owner = value.__thisclass__
    if name != "__init__" and name not in getattr(owner, "_user_names", frozenset()):
        return None
    found = getattr(value, name)
    if user_function(found) is not None:
        return found
    if name == "__init__" and getattr(found, "__func__", None) in _BASE_INITS:
        return BaseInit(found)
    if name == "__init__" and type(found).__name__ == "method-wrapper":
        return BaseInit(found)  # object.__init__ bound to the instance
    return None
