"""JSON that cannot make the web process recurse: a depth check before parsing, bounded integers,
and a depth check before encoding.

`json.loads` and `json.dumps` recurse once per level of nesting: a body nested a few thousand deep
raises RecursionError (an uncaught 500, or a dropped connection), and one nested a few hundred deep
parses into a value that every later recursive walk (validation, formatting, encoding) trips on.
Every JSON text the web process reads from a client goes through `check_depth` or `loads` here,
and every value it encodes itself through `within_depth`, each with a depth bound from the caller.
(A worker's answer is read by app/web/page.py:read_answer, bounded in size and depth.)

    ValueError
    └── JsonLimit        too deep, or an integer with too many digits (a 4xx, never a 500)

Standard library only: the API, the pages and the command line all use it.
"""

from __future__ import annotations

import json
import re
from typing import Any

MAX_INT_DIGITS = 30  # no count, index or step of ours comes close; Python's own cap is 4,300

# A JSON string, escapes included (possessive: no backtracking on a long string).
_STRING = re.compile(rb'"(?:[^"\\]++|\\.)*+"', re.DOTALL)
_NOT_BRACKETS = bytes(set(range(256)) - set(b"[]{}"))
_AS_SQUARE = bytes.maketrans(b"{}", b"[]")  # one kind of pair: a pass removes exactly one level


class JsonLimit(ValueError):
    """JSON past a bound: `limit` names it, `value` is the bound."""

    def __init__(self, message: str, limit: str, value: int) -> None:
        super().__init__(message)
        self.limit = limit
        self.value = value


def depth(text: bytes | str, stop_after: int) -> int:
    """How deep the brackets of a JSON text nest, outside its strings; past `stop_after` the
    answer is `stop_after + 1`. Nothing here recurses or loops per character: the strings go,
    then everything but brackets, then each pass removes the innermost pairs (one level)."""
    data = text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text
    openings = data.count(b"[") + data.count(b"{")
    if openings <= stop_after:
        return openings  # an upper bound: it cannot nest deeper than its opening brackets
    brackets = _STRING.sub(b"", data).translate(_AS_SQUARE, _NOT_BRACKETS)
    for level in range(stop_after + 1):
        if not brackets:
            return level
        brackets = brackets.replace(b"[]", b"")
    return stop_after + 1


def check_depth(text: bytes | str, max_depth: int) -> None:
    if depth(text, max_depth) > max_depth:
        raise JsonLimit(
            f"the JSON nests deeper than {max_depth} levels", "max_json_depth", max_depth
        )


def _bounded_int(digits: str) -> int:
    if len(digits.lstrip("-")) > MAX_INT_DIGITS:
        raise JsonLimit(
            f"a JSON integer has more than {MAX_INT_DIGITS} digits",
            "max_int_digits",
            MAX_INT_DIGITS,
        )
    return int(digits)


def loads(text: bytes | str, max_depth: int) -> Any:
    """`json.loads` after the depth check, with bounded integers. Raises ValueError (JsonLimit,
    or json's own JSONDecodeError) for anything else; never RecursionError."""
    check_depth(text, max_depth)
    return json.loads(text, parse_int=_bounded_int)


def within_depth(value: Any, max_depth: int) -> bool:
    """True when lists and dicts nest at most `max_depth` deep (checked before encoding, without
    recursion: an explicit stack of (container, level))."""
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict):
            children: Any = item.values()
        elif isinstance(item, list | tuple):
            children = item
        else:
            continue
        if level + 1 > max_depth:
            return False
        stack.extend((child, level + 1) for child in children)
    return True
