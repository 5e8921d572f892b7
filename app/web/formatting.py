"""Numbers and nested lists as text for the page: short previews and full, aligned values.

Values arrive as the payload has them: numbers, nested lists, "nan"/"inf"/"-inf" strings,
`{"re", "im"}` for complex numbers, None for "no gradient".
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

PREVIEW_ITEMS = 4
MAX_FULL_CHARS = 20_000
MAX_DEPTH = 128  # deeper lists are shown as "[…]": the walks below recurse once per level


def number(value: Any) -> str:
    if value is None:
        return "None"
    if isinstance(value, bool):
        return "True" if value else "False"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return f"{value:.1f}"
        return f"{value:.6g}"
    if isinstance(value, Mapping):
        return f"{number(value.get('re'))}{_signed(value.get('im'))}j"
    return str(value)


def _signed(value: Any) -> str:
    text = number(value)
    return text if text.startswith("-") else "+" + text


def preview(value: Any, level: int = 0) -> str:
    """`3.0`, `[1.0, 2.0, 3.0, 4.0, …]` (a few items per level), `None`."""
    if isinstance(value, list):
        if level >= MAX_DEPTH:
            return "[…]"
        shown = [preview(item, level + 1) for item in value[:PREVIEW_ITEMS]]
        more = ", …" if len(value) > PREVIEW_ITEMS else ""
        return "[" + ", ".join(shown) + more + "]"
    return number(value)


def full(value: Any) -> str:
    """Every element, one innermost row per line (as torch prints), capped in length."""
    text = _nested(value, 1) if isinstance(value, list) else number(value)
    if len(text) > MAX_FULL_CHARS:
        return text[:MAX_FULL_CHARS] + " …"
    return text


def _nested(value: list[Any], indent: int) -> str:
    if indent > MAX_DEPTH:
        return "[…]"
    if not value or not isinstance(value[0], list):
        return "[" + ", ".join(number(item) for item in value) + "]"
    rows = [_nested(item, indent + 1) for item in value]
    separator = "," + "\n" * (_depth(value) - 1) + " " * indent
    return "[" + separator.join(rows) + "]"


def _depth(value: Any) -> int:
    depth = 0
    while isinstance(value, list) and value:
        depth, value = depth + 1, value[0]
    return depth


def shape(dims: Any) -> str:
    """`(2, 3)`; `()` for a scalar, as torch.Size prints."""
    if not dims:
        return "()"
    return "(" + ", ".join(str(d) for d in dims) + ")"
