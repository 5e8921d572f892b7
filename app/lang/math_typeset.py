"""How a formula was read, typeset back the way students write it: `z = 2·x + x·y`,
`σ(x) = 1/(1 + e^(-x))`, `y = sin(x)² + |x - y|`. Shown in the answer's notes (and above the
graph) so that a misreading is visible at once; only parentheses that change the reading stay.
"""

from __future__ import annotations

import unicodedata
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # math_tree typesets folded constants with this module
    from app.lang.math_tree import Node

_SUPERSCRIPT = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")
_ACCENT_MARKS = {"hat": "\u0302", "bar": "\u0304", "tilde": "\u0303"}
_PRECEDENCE = {"+": 1, "-": 1, "*": 2, "/": 2, "**": 4}
_SHOWN_OP = {"+": " + ", "-": " - ", "*": "·", "/": "/"}


def display_name(name: str) -> str:
    """`y_hat` → ŷ (one character where Unicode has it); every other name as written."""
    base, _, accent = name.rpartition("_")
    if accent in _ACCENT_MARKS and len(base) == 1:
        return unicodedata.normalize("NFC", base + _ACCENT_MARKS[accent])
    return name


def statement(target: str, params: tuple[str, ...], node: Node) -> str:
    head = display_name(target)
    if params:
        head += "(" + ", ".join(map(display_name, params)) + ")"
    return f"{head} = {typeset(node)}"


def typeset(node: Node) -> str:
    """One tree → text (its depth is bounded by the nesting cap)."""
    if node.kind == "num":
        return node.shown or node.text
    if node.kind == "const":
        return {"3.141592653589793": "π", "2.718281828459045": "e"}.get(node.text, node.text)
    if node.kind == "name":
        return node.shown or display_name(node.text)
    if node.kind == "neg":
        return node.shown or "-" + _wrapped(node.args[0], _level(node.args[0]) < 3)
    if node.kind == "tensor":
        return typeset(node.args[0])
    if node.kind in ("call", "pair"):
        return _call(node)
    return _binary(node)


def _call(node: Node) -> str:
    inner = ", ".join(typeset(arg) for arg in node.args)
    if node.shown == "|":
        return f"|{inner}|"
    if node.shown == "e^":
        return "e" + _exponent(node.args[0])
    name = node.shown.lstrip("\\") or node.text
    return f"{name}({inner})"


def _binary(node: Node) -> str:
    left, right = node.args
    mine = _PRECEDENCE[node.text]
    if node.text == "**":
        return _wrapped(left, _level(left) <= mine) + _exponent(right)
    wrap_left, wrap_right = _level(left) < mine, _level(right) <= mine
    if node.text in ("*", "/") and right.kind == "neg":  # 2·(-x), not 2·-x
        wrap_right = True
    return f"{_wrapped(left, wrap_left)}{_SHOWN_OP[node.text]}{_wrapped(right, wrap_right)}"


def _exponent(node: Node) -> str:
    text = typeset(node)
    if node.kind == "num" and node.text.isdigit() and not node.shown:
        return text.translate(_SUPERSCRIPT)
    if node.kind == "neg" and node.args[0].kind == "num" and node.args[0].text.isdigit():
        return text.translate(_SUPERSCRIPT)
    return "^" + _wrapped(node, node.kind not in ("num", "name", "const", "call", "pair"))


def _level(node: Node) -> int:
    if node.kind == "bin":
        return _PRECEDENCE[node.text]
    return 3 if node.kind == "neg" else 5


def _wrapped(node: Node, wrap: bool) -> str:
    return f"({typeset(node)})" if wrap else typeset(node)
