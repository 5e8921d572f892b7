"""Compact text for numbers on the picture (the full values live in the graph JSON)."""

from __future__ import annotations

from typing import Any

_MAX_ITEMS = 4


def preview(value: Any) -> str:
    """`3.0`, `[1.5, 2, …]` (4 items at most per level), `nan`; '' for None."""
    if value is None:
        return ""
    if isinstance(value, list):
        shown = [preview(v) for v in value[:_MAX_ITEMS]]
        more = ", …" if len(value) > _MAX_ITEMS else ""
        return "[" + ", ".join(shown) + more + "]"
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        return f"{value:.4g}"
    if isinstance(value, dict):  # complex numbers
        return f"{preview(value.get('re'))}+{preview(value.get('im'))}j"
    return str(value)
