"""Which attributes a value exposes and which callables a program may call, by the value's type.

The language has already refused names that are on no list at all; here the engine decides, for
the actual value at run time, whether that name is allowed *for its type*. A name the value does
not have at all raises Python's own AttributeError (a step error, as in real Python).
"""

from __future__ import annotations

import ast
from collections import OrderedDict
from types import MappingProxyType

import numpy as np
import torch
from torch.autograd.forward_ad import UnpackedDualTensor
from torch.autograd.graph import Node
from torch.utils.data import DataLoader, TensorDataset
from torch.utils.hooks import RemovableHandle

from app.engine import classes, containers, vision
from app.engine.budget import Budget
from app.engine.functions import UserFunction
from app.engine.library import is_callable_module
from app.engine.namespaces import MODULE_CALLABLES, SafeModule
from app.engine.recorder import saved_slots
from app.lang import allowlist
from app.lang.errors import NotAllowed, Span

# Order matters: torch.Size and named tuples are tuples, so they are matched before tuple.
_TYPE_ATTRIBUTES: tuple[tuple[type | tuple[type, ...], frozenset[str]], ...] = (
    (torch.Tensor, allowlist.TENSOR_PROPERTIES | allowlist.TENSOR_METHODS),
    (tuple(vision.CLASSES.values()), frozenset()),  # a transform is called, never opened
    (vision.IMAGE_TYPE, allowlist.IMAGE_ATTRIBUTES),
    (torch.nn.Module, allowlist.MODULE_ATTRIBUTES),
    (torch.optim.Optimizer, allowlist.OPTIMIZER_ATTRIBUTES),
    (TensorDataset, allowlist.DATASET_ATTRIBUTES),
    (DataLoader, allowlist.LOADER_ATTRIBUTES),
    (torch.Size, allowlist.SIZE_ATTRIBUTES),
    (UnpackedDualTensor, allowlist.DUAL_ATTRIBUTES),  # a named tuple
    (torch.Generator, allowlist.GENERATOR_ATTRIBUTES),
    (torch.dtype, allowlist.DTYPE_ATTRIBUTES),
    (torch.device, allowlist.DEVICE_ATTRIBUTES),
    (list, allowlist.LIST_ATTRIBUTES),
    (tuple, allowlist.TUPLE_ATTRIBUTES),
    (str, allowlist.STR_ATTRIBUTES),
    (float, allowlist.FLOAT_ATTRIBUTES),
    (dict, allowlist.DICT_ATTRIBUTES),
    (set, allowlist.SET_ATTRIBUTES),
    (BaseException, allowlist.EXCEPTION_ATTRIBUTES),
    (RemovableHandle, allowlist.HANDLE_ATTRIBUTES),
    (np.ndarray, allowlist.NDARRAY_ATTRIBUTES),
)
# Bound methods: C-level (`x.sum`, `[].append`) and Python-level (`x.backward`).
_METHOD_TYPES = (type(torch.sin), type(torch.Tensor.backward.__get__(0)))


def allowed_attributes(value: object) -> frozenset[str]:
    if classes.is_user_ctx(value):
        return classes.CTX_READABLE
    if isinstance(value, Node):
        return allowlist.NODE_ATTRIBUTES
    if type(value).__module__ == "torch.return_types":  # x.max(dim=0), x.topk(2), x.sort()
        return allowlist.RETURN_TYPE_ATTRIBUTES
    for kind, names in _TYPE_ATTRIBUTES:
        if isinstance(value, kind):
            return names
    return frozenset()


def get_attribute(value: object, name: str, node: ast.AST) -> object:
    if isinstance(value, super):
        found = classes.super_attribute(value, name)
        if found is None:
            raise NotAllowed(f"'super().{name}' not allowed", Span.of(node))
        return found
    if is_program_object(value) and classes.readable(value, name):
        return getattr(value, name)
    if isinstance(value, SafeModule):
        if name in value.members:
            return value.members[name]
        raise NotAllowed(f"'{value.qualname}.{name}' not allowed", Span.of(node))
    if isinstance(value, Node) and name in saved_slots(value):
        return getattr(value, name)  # `y.grad_fn._saved_self`: read only
    if name in allowed_attributes(value):
        if name == "metadata" and isinstance(value, Node):
            # The node's real dict would outlive the run's checks (tensors parked in it, a
            # param group made of it): a read-only copy.
            return MappingProxyType(dict(value.metadata))
        return getattr(value, name)
    if isinstance(value, torch.nn.Module) and name in value._modules:
        return value._modules[name]  # a named layer (`nn.Sequential(OrderedDict(...)).fc1`)
    if _lacks(value, name):
        # The real AttributeError with Python's own message (e.g. on None).
        return getattr(value, name)
    raise NotAllowed(f"'.{name}' not allowed on {type(value).__name__}", Span.of(node))


def set_attribute(value: object, name: str, new: object, node: ast.AST) -> None:
    """Only a tensor's listed attributes may be set: a class, a function, a module or any
    other object may be shared by every run in the worker, and an attribute set on it would
    stay there (and keep what it holds alive) for later runs."""
    if isinstance(value, torch.Tensor) and name in allowlist.TENSOR_SETTABLE:
        setattr(value, name, new)
        return
    if is_program_object(value) and classes.writable(value, name):
        if isinstance(value, type):
            classes.set_class_attribute(value, name, new)
        else:
            setattr(value, name, new)
        return
    if type(value) in PLAIN_VALUES:
        setattr(value, name, new)  # Python's own AttributeError for e.g. None or int
        return
    if isinstance(value, SafeModule | type):
        owner = value.qualname if isinstance(value, SafeModule) else value.__name__
        raise NotAllowed(f"assigning '{owner}.{name}' not allowed", Span.of(node))
    raise NotAllowed(f"assigning '.{name}' not allowed on {type(value).__name__}", Span.of(node))


# Builtin values that take no attributes at all: setting one raises Python's own error.
PLAIN_VALUES = frozenset(
    {type(None), bool, int, float, complex, str, list, tuple, range, dict, set, frozenset}
)


def set_item(owner: object, index: object, new: object, budget: Budget, node: ast.AST) -> None:
    """`owner[index] = new` on a list or dict (bounded in depth), a tensor, or a plain value
    (Python's own TypeError); never on a module or anything else a run did not build as data.
    Lists and dicts are exactly their builtin types here: a program's dict is its own data."""
    if type(owner) in (list, dict, OrderedDict):
        containers.check_insert(owner, new, budget, node)
    elif not isinstance(owner, torch.Tensor) and type(owner) not in PLAIN_VALUES:
        raise NotAllowed(f"assigning items not allowed on {type(owner).__name__}", Span.of(node))
    owner[index] = new  # type: ignore[index]


def is_program_object(value: object) -> bool:
    """An instance or class a program's `class` made, or the ctx of its autograd Function."""
    return (
        isinstance(value, classes.UserObject)
        or classes.is_user_class(value)
        or classes.is_user_ctx(value)
    )


def _lacks(value: object, name: str) -> bool:
    """True when the value has no such attribute; only asked of plain values, never modules."""
    if isinstance(value, SafeModule):
        return False
    return not hasattr(type(value), name) and not hasattr(value, name)


def check_callable(func: object, node: ast.AST) -> None:
    """Refuse calling anything that is neither a listed function nor a listed method."""
    if _is_allowed_callable(func):
        return
    raise NotAllowed(f"calling {_describe(func)} not allowed", Span.of(node))


def _is_allowed_callable(func: object) -> bool:
    if isinstance(func, UserFunction) or is_callable_module(func):
        return True
    try:
        if func in MODULE_CALLABLES:
            return True
    except TypeError:  # unhashable values are never allowed callables
        return False
    if isinstance(func, _METHOD_TYPES):
        owner = getattr(func, "__self__", None)
        name = getattr(func, "__name__", "")
        return (
            owner is not None and not isinstance(owner, type) and name in allowed_attributes(owner)
        )
    return False


def _describe(func: object) -> str:
    name = getattr(func, "__name__", None)
    return f"'{name}'" if isinstance(name, str) else f"a {type(func).__name__} value"
