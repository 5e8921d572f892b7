"""The cyclic garbage collector, paused while the pipeline builds its own records.

Tracing a big graph and drawing it make hundreds of thousands of small objects (node and edge
records, value lists, label strings) and no reference cycle: each collector pass over them
finds nothing to free, and its full passes walk every one. The program's own run is never
paused — a user's loop may build cycles that only the collector frees, and the run's limits
count what it keeps alive.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused() -> Iterator[None]:
    """No collector pass inside the block; the objects it made are collected as usual after
    it (its allocations still count towards the next pass). Nested blocks are paused once."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
