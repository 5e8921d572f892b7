"""Records → JSON-ready data, without copying the values inside them.

`dataclasses.asdict` deep-copies every nested list: for a run with a 1,000×2 tensor that is
most of the time spent building the answer. The values our records hold are already plain
(nested lists of numbers, made once by the snapshot), so only the records themselves, and the
tuples of records, are converted here. A run's answer converts ~300 values, so each record
class's fields are read with one attrgetter, and plain values are passed through unconverted.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from functools import cache
from operator import attrgetter
from typing import Any

# Values that are already JSON-ready as they are (lists and dicts hold plain values only).
_PLAIN = frozenset({str, int, float, bool, type(None), list, dict})


def plain(value: Any) -> Any:
    kind = type(value)
    if kind in _PLAIN:
        return value
    if isinstance(value, tuple):
        return [item if type(item) in _PLAIN else plain(item) for item in value]
    fields = _fields(kind)
    if fields is None:
        return value
    names, read = fields
    return {
        name: item if type(item) in _PLAIN else plain(item)
        for name, item in zip(names, read(value), strict=True)
    }


@cache
def _fields(kind: type) -> tuple[tuple[str, ...], Callable[[Any], tuple[Any, ...]]] | None:
    """A record class's field names and a reader of all of them at once (looked up once)."""
    if not dataclasses.is_dataclass(kind):
        return None
    names = tuple(field.name for field in dataclasses.fields(kind))
    if len(names) == 1:  # attrgetter of one name returns the value, not a 1-tuple
        only = attrgetter(names[0])
        return names, lambda record: (only(record),)
    return names, attrgetter(*names)
