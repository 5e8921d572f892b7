"""Comprehensions, generator expressions, lambdas and generators' values.

A comprehension runs in a scope of its own, as in Python: its loop variables do not leak, and a
lambda made inside one sees them as they are when it runs. Its first iterable is evaluated in the
enclosing scope; every element counts as a loop iteration and the result is bounded like any list.

Generator expressions and generator functions (`yield`) are computed when they are made, then
handed out one value at a time by a real generator: the values are the same as Python's, but the
body runs before the first `next` (a generator's prints come at its call, and an endless one hits
max_loop_iterations instead of waiting to be asked).
"""

from __future__ import annotations

import ast
import types
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from app.engine.functions import Frame, UserFunction

if TYPE_CHECKING:
    from app.engine.evaluate import Evaluator

Comprehension = ast.ListComp | ast.SetComp | ast.DictComp | ast.GeneratorExp


def evaluate(ev: Evaluator, node: Comprehension) -> Any:
    # ListComp/SetComp/GeneratorExp ('elt', 'generators'); DictComp ('key', 'value', 'generators')
    first = ev.evaluate(node.generators[0].iter)
    names = frozenset(
        target.id
        for generator in node.generators
        for target in ast.walk(generator.target)
        if isinstance(target, ast.Name)
    )
    outer = ev.frame.outer() if ev.frame is not None else ()
    saved = ev.frame
    ev.frame = Frame(names, {}, None, outer)
    results: list[Any] = []
    try:
        _run(ev, node, 0, first, results)
    finally:
        ev.frame = saved
    if isinstance(node, ast.ListComp):
        return results
    if isinstance(node, ast.SetComp):
        return set(results)
    if isinstance(node, ast.DictComp):
        return dict(results)
    return replay(results, "<genexpr>")


def _run(ev: Evaluator, node: Comprehension, index: int, iterable: Any, out: list[Any]) -> None:
    generator = node.generators[index]
    # ('target', 'iter', 'ifs', 'is_async')
    where = generator.iter  # a comprehension clause has no position of its own
    ev.budget.rows_ahead(iterable, where)
    loops = ev.loops
    with loops.run():
        for item in iterable:
            ev.budget.iteration(where)
            loops.turn()
            ev.assign(generator.target, item)
            if not all(ev.evaluate(condition) for condition in generator.ifs):
                continue
            if index + 1 < len(node.generators):
                inner = ev.evaluate(node.generators[index + 1].iter)
                _run(ev, node, index + 1, inner, out)
                continue
            if isinstance(node, ast.DictComp):
                out.append((ev.evaluate(node.key), ev.evaluate(node.value)))
            else:
                out.append(ev.evaluate(node.elt))
            ev.budget.sequence(len(out), node)


def make_lambda(ev: Evaluator, node: ast.Lambda) -> UserFunction:
    # ('args', 'body') — a function whose body returns one expression
    defaults = [ev.evaluate(default) for default in node.args.defaults]
    body = ast.Return(value=node.body)
    ast.copy_location(body, node.body)
    definition = ast.FunctionDef(
        name="<lambda>", args=node.args, body=[body], decorator_list=[], returns=None
    )
    ast.copy_location(definition, node)
    return UserFunction(definition, defaults, qualname(ev, "<lambda>"), enclosing=outer_of(ev))


def qualname(ev: Evaluator, name: str) -> str:
    """`f.<locals>.g` for a function made while `f` runs, as Python names it."""
    function = ev.frame.function if ev.frame is not None else None
    return name if function is None else f"{function._name}.<locals>.{name}"


def outer_of(ev: Evaluator) -> tuple[Frame, ...]:
    return ev.frame.outer() if ev.frame is not None else ()


def replay(values: list[Any], name: str) -> Iterator[Any]:
    """A real generator handing out values already computed, named as Python names it."""

    def generate(items: list[Any]) -> Iterator[Any]:
        yield from items

    made = types.FunctionType(generate.__code__, {}, name)
    made.__qualname__ = name
    return made(values)  # type: ignore[no-any-return]
