"""`'data is {}, label is {}'.format(data, label)`: str.format with its reach and size checked.

A replacement field may name an argument (`{}`, `{0}`, `{name}`) and give a conversion and a
format spec, as an f-string's value does. What str.format could do besides is refused before it
runs: `{0.attr}` and `{0[key]}` walk attributes and items where the language cannot see them
(`'{0.__class__}'`), and a field nested in a spec (`{0:{1}}`) takes its width from the
arguments. The result is sized before it is built: each field's string argument and each
container it shows are counted as often as fields name them, and a spec's width like an
f-string's (operators.check_format_spec). Python itself raises the rest (an index out of range,
a switch between `{}` and `{0}`, a single `{`), with its own messages.
"""

from __future__ import annotations

import ast
import string
from typing import Any

from app.engine.budget import Budget
from app.engine.containers import walked
from app.engine.display import clean
from app.engine.operators import check_format_spec
from app.lang.errors import NotAllowed, Span


def str_format(
    template: str, args: list[Any], kwargs: dict[str, Any], budget: Budget, node: ast.AST
) -> str:
    """`template.format(*args, **kwargs)`, checked first; values show without heap addresses,
    as print and f-strings show them (display.py)."""
    shown = _checked_fields(template, args, kwargs, budget, node)
    result = template.format(*args, **kwargs)
    return result if all(isinstance(value, str) for value in shown) else clean(result)


def _checked_fields(
    template: str, args: list[Any], kwargs: dict[str, Any], budget: Budget, node: ast.AST
) -> list[Any]:
    """The value each field shows (one entry per field), after refusing what may not run."""
    try:
        parsed = list(string.Formatter().parse(template))
        fields = [(field, spec or "") for _, field, spec, _ in parsed if field is not None]
    except ValueError:
        return []  # a malformed template: str.format raises the same error
    shown: list[Any] = []
    automatic = 0
    for field, spec in fields:
        if "." in field or "[" in field or "{" in spec:
            raise NotAllowed(
                f"str.format field '{{{field}{':' + spec if spec else ''}}}' not allowed (only "
                "{}, {0} or {name} with a conversion and a plain spec): use an f-string",
                Span.of(node),
            )
        check_format_spec(spec, budget, node)
        if field == "":
            field, automatic = str(automatic), automatic + 1
        value = _argument(field, args, kwargs)
        if value is not None:
            shown.append(value)
    walked(shown, budget, "formatting", node)
    budget.sequence(len(template) + sum(len(v) for v in shown if isinstance(v, str)), node)
    return shown


def _argument(field: str, args: list[Any], kwargs: dict[str, Any]) -> Any:
    if field.isdigit():
        index = int(field)
        return args[index] if index < len(args) else None
    return kwargs.get(field)
