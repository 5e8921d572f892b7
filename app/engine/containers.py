"""Bounding the Python lists and tuples a program builds: how deep they nest, and how much work a
C routine that walks a whole value (repr, ==, `in`, count, sorted) would do.

Depth is checked as containers are built (displays, builtins, `+`, `*`, append, `l[i] = v`), so
that no value reaches C code that recurses without a guard: hashing a tuple nested 300,000 deep
crashes the interpreter. Each container built is measured from its items' recorded depths (by id:
holding the values themselves would keep every list a run built alive). A tuple's depth is fixed
once built; a list's can grow when a list it holds is appended to, but lists are unhashable and
the routines that walk them (repr, ==) stop at Python's recursion limit, which the interpreter
refuses as a limit.

Work is the value's size as those routines see it: a list holding the same sublist twice is
walked twice, so `a = [a, a]` sixty times is 2⁶⁰ items for repr or == although it holds only
sixty lists. It is counted by walking the value the same way, up to the limit and no further.
"""

from __future__ import annotations

import ast
import itertools
from collections.abc import Iterable
from typing import Any

import torch
from torch import nn

from app.engine.budget import Budget
from app.engine.sizing import pairwise_numel

CONTAINERS = (list, tuple, dict, set, frozenset)


def _members(value: Any) -> Iterable[Any]:
    """What a walk over a container visits: a dict's keys and values, any other's items."""
    return itertools.chain(value.keys(), value.values()) if isinstance(value, dict) else value


def depth(
    value: Any, budget: Budget, node: ast.AST | None, level: int = 1, fresh: bool = False
) -> int:
    """Nesting depth of a list/tuple (1 for a flat one, 0 for anything else), refused past
    max_container_depth. Containers already measured are looked up by id, not walked again
    (`fresh`: a container just built, whose id may be a freed one's); `level` stops a walk into
    a value that was never measured (or holds itself) at the limit."""
    if not isinstance(value, CONTAINERS):
        return 0
    known = None if fresh else budget.depths.get(id(value))
    if known is not None:
        return known
    budget.nesting(level, node)
    deepest = 0
    # the types present, found in C: a flat list of numbers or tensors is not walked in Python
    if any(issubclass(kind, CONTAINERS) for kind in set(map(type, _members(value)))):
        for item in _members(value):
            if isinstance(item, CONTAINERS) and item is not value:
                deepest = max(deepest, depth(item, budget, node, level + 1))
    result = deepest + 1
    budget.nesting(result, node)
    budget.depths[id(value)] = result
    return result


def check_built(value: Any, budget: Budget, node: ast.AST | None) -> None:
    """A list or tuple the program just built (or iterated out of zip/enumerate)."""
    if isinstance(value, CONTAINERS):
        depth(value, budget, node, fresh=True)


def check_insert(target: Any, item: Any, budget: Budget, node: ast.AST | None) -> None:
    """`l.append(item)`, `l.insert(i, item)`, `l[i] = item`: the list deepens to hold it."""
    if isinstance(target, list | dict) and isinstance(item, CONTAINERS):
        deeper = depth(item, budget, node) + 1
        budget.nesting(deeper, node)
        if budget.depths.get(id(target), 0) < deeper:
            budget.depths[id(target)] = deeper


def walked(values: Iterable[Any], budget: Budget, what: str, node: ast.AST | None) -> None:
    """Refuse a walk over `values` that would visit more than max_sequence_len items."""
    cap = budget.limits.max_sequence_len
    count = 0
    for value in values:
        count = _count(value, cap, count, set(), budget, node)
        if count > cap:
            break
    budget.traversal(count, what, node)


def _count(
    value: Any, cap: int, count: int, open_: set[int], budget: Budget, node: ast.AST | None
) -> int:
    """Items visited by a walk that repeats shared sublists (cycles are visited once, as repr
    does); stops as soon as the count passes `cap`, or the nesting passes its limit."""
    if not isinstance(value, CONTAINERS) or id(value) in open_:
        return count
    budget.nesting(len(open_) + 1, node)
    count += len(value)
    if count > cap:
        return count
    open_.add(id(value))
    for item in _members(value):
        if isinstance(item, CONTAINERS):
            count = _count(item, cap, count, open_, budget, node)
            if count > cap:
                break
    open_.discard(id(value))
    return count


_WALKING_METHODS = frozenset({"count", "index"})
_INSERTING_METHODS = frozenset({"append", "insert"})


def check_call(func: Any, args: list[Any], budget: Budget, node: ast.AST) -> None:
    """Before a method of a list or tuple, or nn.Sequential(...), runs."""
    owner = getattr(func, "__self__", None)
    name = getattr(func, "__name__", "")
    if isinstance(owner, CONTAINERS):
        if name in _INSERTING_METHODS and args:
            check_insert(owner, args[-1], budget, node)
        elif name in _WALKING_METHODS and args:
            check_compare(args[0], owner, budget, node)
    elif func is nn.Sequential:
        limit = budget.limits.max_container_depth
        budget.nesting(1 + max((module_depth(a, limit) for a in args), default=0), node)


def check_compare(left: Any, right: Any, budget: Budget, node: ast.AST | None) -> None:
    """`==`, `<`, `in`, count, index between lists/tuples walk both; a tensor compared with
    the items of a list broadcasts against each one."""
    if isinstance(left, CONTAINERS) or isinstance(right, CONTAINERS):
        walked((left, right), budget, "comparing", node)
        for one, other in ((left, right), (right, left)):
            if isinstance(one, torch.Tensor) and isinstance(other, CONTAINERS):
                budget.tensor_elements(pairwise_numel([one, *tensor_compares(other)]), node)


def module_depth(module: Any, limit: int) -> int:
    """Nesting of nn.Sequential inside nn.Sequential (1 for a module with no children); stops
    counting past `limit`."""
    if not isinstance(module, nn.Module):
        return 0
    deepest = 0
    if limit > 0:
        for child in module.children():
            deepest = max(deepest, module_depth(child, limit - 1))
    return deepest + 1


def tensor_compares(values: Iterable[Any]) -> list[torch.Tensor]:
    """The tensors among `values`: comparing two of them (`max`, `sorted`, `in`, count)
    broadcasts them first, so the caller sizes that before it happens."""
    return [value for value in values if isinstance(value, torch.Tensor)]
