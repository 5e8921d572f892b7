"""Which worker traced which run, so that a program drawn again reaches the worker that keeps
its trace (app/traced.py).

Each worker keeps its own last traced runs; another worker that gets the same program with
another expand state runs it again (the same answer, several times later for a big graph). The
pool records which worker answered each run, under the run's traced key (what the run depends
on, not its picture: `traced.traced_key`, the worker's own key), and a later request with that
key prefers that worker among the idle ones. It is a preference only: a busy, lost or replaced
worker is not waited for (pool.py).

Bounded: least recently used out first, at most as many runs as every worker together keeps,
and a worker's entries go with it when it is stopped.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Generic, TypeVar

W = TypeVar("W")


class Affinity(Generic[W]):
    """key → the worker that last answered a run with that key. The keys are the traced keys'
    hashes: this map holds no program text, and two keys that collide cost at most a worker
    preferred for nothing (the run is answered all the same)."""

    def __init__(self, entries: int) -> None:
        self.entries = entries
        self._workers: OrderedDict[int, W] = OrderedDict()

    def get(self, key: int | None) -> W | None:
        if key is None:
            return None
        return self._workers.get(key)

    def ran(self, key: int | None, worker: W) -> None:
        """`worker` answered a run with `key` (it keeps that trace now, if it was whole)."""
        if key is None or self.entries <= 0:
            return
        self._workers.pop(key, None)
        self._workers[key] = worker
        while len(self._workers) > self.entries:
            self._workers.popitem(last=False)

    def forget(self, worker: W) -> None:
        """The worker is stopped: what it kept went with it."""
        for key in [key for key, held in self._workers.items() if held is worker]:
            del self._workers[key]

    def __len__(self) -> int:
        return len(self._workers)
