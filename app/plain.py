"""Records → JSON-ready data, without copying the values inside them.

`dataclasses.asdict` deep-copies every nested list: for a run with a 1,000×2 tensor that is
most of the time spent building the answer. The values our records hold are already plain
(nested lists of numbers, made once by the snapshot), so only the records themselves, and the
tuples of records, are converted here.
"""

from __future__ import annotations

import dataclasses
from functools import cache
from typing import Any


def plain(value: Any) -> Any:
    if isinstance(value, tuple):
        return [plain(item) for item in value]
    names = _field_names(type(value))
    if names is None:
        return value
    return {name: plain(getattr(value, name)) for name in names}


@cache
def _field_names(kind: type) -> tuple[str, ...] | None:
    """A record class's field names (looked up once per class: a run converts ~60 records)."""
    if dataclasses.is_dataclass(kind):
        return tuple(field.name for field in dataclasses.fields(kind))
    return None
