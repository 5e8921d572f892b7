"""Records → JSON-ready data, without copying the values inside them.

`dataclasses.asdict` deep-copies every nested list: for a run with a 1,000×2 tensor that is
most of the time spent building the answer. The values our records hold are already plain
(nested lists of numbers, made once by the snapshot), so only the records themselves, and the
tuples of records, are converted here.
"""

from __future__ import annotations

import dataclasses
from typing import Any


def plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, tuple):
        return [plain(item) for item in value]
    return value
