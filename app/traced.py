"""The traced runs a process keeps, so that a program drawn again is not run again.

Expanding a fold or a module draws the same program with another expand state: what it ran and
what was traced are the same, only the picture differs. The pipeline keeps the last few
outcomes (the graph and the run's plain records: no tensor, no torch object), keyed by
everything that decides what a run does — the source, the mode, the inputs, the device, the
step, the run's limits — and draws a kept one again instead of running it.

This is the one state a run leaves for a later one, and it cannot change another program's
answer: every run starts from the same seed and leaves no torch state behind (the engine's
promise), so a kept outcome is exactly what running its program again would give, and a request
that differs in anything the run depends on has another key. It is bounded by entries and by an
estimate of the memory it holds (least recently used out first), and only whole runs are kept
(no error of the run itself, no refusal).

Only the process that traced a run keeps it: the pool (app/service/pool.py) remembers which
worker ran each key (`traced_key`, the one key of both) and hands a request drawn again to that
worker when it is free.
"""

from __future__ import annotations

import json
from collections import OrderedDict
from collections.abc import Hashable, Iterable, Mapping
from typing import Any, Protocol

from app.settings import Settings

# Memory of a kept graph, roughly: a value element is a float in a list; a node or an edge is a
# small frozen record with its strings.
BYTES_PER_ELEMENT = 64
BYTES_PER_RECORD = 512


class RunFields(Protocol):
    """What a run request (pipeline.RunRequest) says about the run itself."""

    @property
    def source(self) -> str: ...
    @property
    def mode(self) -> str: ...
    @property
    def inputs(self) -> Mapping[str, Any]: ...
    @property
    def step(self) -> int | None: ...
    @property
    def style(self) -> str: ...


def traced_key(request: RunFields, device: str, settings: Settings) -> Hashable | None:
    """Everything a run and its trace depend on (a picture's options are not part of it);
    None for a request that cannot be kept (torchviz's style draws from the live tensors).

    The worker keys what it keeps with it (`device`: the device resolved); the web process's
    pool keys which worker traced what with it too (`device`: as asked, which names one device
    on every worker of a machine), so that a request drawn again reaches that worker."""
    if request.style == "torchviz" or settings.graph_reuse_entries <= 0:
        return None
    try:
        inputs = json.dumps(request.inputs, sort_keys=True)
    except (TypeError, ValueError):  # not what the API sends: run it, keep nothing
        return None
    run_bounds = (settings.limits, settings.graph_backward_calls)
    return (request.source, request.mode, inputs, device, request.step, run_bounds)


class TracedRuns:
    """A bounded, least-recently-used map: key → a kept outcome, with its estimated bytes."""

    def __init__(self) -> None:
        self._kept: OrderedDict[Hashable, tuple[Any, int]] = OrderedDict()
        self._bytes = 0
        self.stored = 0  # estimated bytes of every outcome kept so far (see worker.py)

    def get(self, key: Hashable) -> Any | None:
        found = self._kept.get(key)
        if found is None:
            return None
        self._kept.move_to_end(key)
        return found[0]

    def put(self, key: Hashable, value: Any, size: int, entries: int, max_bytes: int) -> None:
        """Keep `value` unless it alone is past `max_bytes`; drop the oldest past the bounds."""
        self._drop(key)
        if entries <= 0 or size > max_bytes:
            return
        self._kept[key] = (value, size)
        self._bytes += size
        self.stored += size
        while len(self._kept) > entries or self._bytes > max_bytes:
            self._drop(next(iter(self._kept)))

    def clear(self) -> None:
        self._kept.clear()
        self._bytes = 0

    def __len__(self) -> int:
        return len(self._kept)

    def _drop(self, key: Hashable) -> None:
        found = self._kept.pop(key, None)
        if found is not None:
            self._bytes -= found[1]


def estimated_bytes(records: int, values: Iterable[Any]) -> int:
    """What `records` small records holding `values` (tensors' nested lists) take, roughly."""
    return BYTES_PER_RECORD * records + BYTES_PER_ELEMENT * sum(elements(v) for v in values)


def elements(value: Any) -> int:
    """Elements of a tensor's nested list (rectangular: the first item's size stands for each);
    a number, a string or None is one."""
    count = 1
    while isinstance(value, list):
        if not value:
            return 0
        count *= len(value)
        value = value[0]
    return count


TRACED = TracedRuns()
