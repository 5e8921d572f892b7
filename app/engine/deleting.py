"""`del`: of a name (where assigning it would bind it), an item of the program's own list or dict
or a tensor, an attribute of the program's own object or a tensor's `grad`.

What may be deleted follows what may be assigned (access.py): a module, a class of torch or
Python, a function or anything shared between runs is never changed. Deleting a name only
unbinds it in the run's own variables (`del torch` leaves the next run's `torch` as it was).
"""

from __future__ import annotations

import ast
from collections import OrderedDict
from typing import TYPE_CHECKING

import torch

from app.engine import access, classes
from app.engine.namespaces import SafeModule
from app.lang.errors import NotAllowed, Span

if TYPE_CHECKING:
    from app.engine.evaluate import Evaluator


def delete(ev: Evaluator, target: ast.expr) -> None:
    if isinstance(target, ast.Tuple | ast.List):
        for element in target.elts:
            delete(ev, element)
    elif isinstance(target, ast.Name):
        _delete_name(ev, target.id)
    elif isinstance(target, ast.Attribute):
        owner = ev.evaluate(target.value)
        ev.current = target
        _delete_attribute(owner, target.attr, target)
    else:
        assert isinstance(target, ast.Subscript)
        owner, index = ev.evaluate(target.value), ev.evaluate(target.slice)
        ev.current = target
        ev.budget.op(target)
        _delete_item(owner, index, target)


def _delete_name(ev: Evaluator, name: str) -> None:
    scope = ev.scope_of(name)
    if name in scope:
        del scope[name]
    elif scope is ev.env:
        raise NameError(f"name '{name}' is not defined")
    else:
        raise UnboundLocalError(
            f"cannot access local variable '{name}' where it is not associated with a value"
        )


def _delete_attribute(owner: object, name: str, node: ast.AST) -> None:
    if isinstance(owner, torch.Tensor) and name == "grad":
        del owner.grad  # torch's own deleter: the gradient becomes None
        return
    if access.is_program_object(owner) and classes.writable(owner, name):
        delattr(owner, name)  # Python's AttributeError when it has no such attribute
        return
    if type(owner) in access.PLAIN_VALUES:
        delattr(owner, name)  # Python's own error for None, int, ...
        return
    if isinstance(owner, type | SafeModule):
        shown = owner.qualname if isinstance(owner, SafeModule) else owner.__name__
        raise NotAllowed(f"deleting '{shown}.{name}' not allowed", Span.of(node))
    raise NotAllowed(f"deleting '.{name}' not allowed on {type(owner).__name__}", Span.of(node))


def _delete_item(owner: object, index: object, node: ast.AST) -> None:
    if type(owner) in (list, dict, OrderedDict) or isinstance(owner, torch.Tensor):
        del owner[index]  # type: ignore[attr-defined]  # a tensor: Python's own TypeError
        return
    if type(owner) in access.PLAIN_VALUES:
        del owner[index]  # type: ignore[attr-defined]
        return
    raise NotAllowed(f"deleting items not allowed on {type(owner).__name__}", Span.of(node))
