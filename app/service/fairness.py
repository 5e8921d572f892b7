"""Which waiting run a free worker takes next: clients take turns, and slow clients go last.

The pool (pool.py) asks `next()` each time a worker is free, and tells this module when a run
ends. The rules, in order:

- Clients take turns: a run of a client with nothing running goes before a further run of a
  client that has one running (a client's own runs keep their order). The rule gives way when
  nobody else waits, so a class behind one address still uses every worker.
- Then first come, first served; but a client whose run ran out of wall time (the engine's
  limit or the pool's kill) is *slow* for `slow_client_seconds`, and its runs count as arriving
  `max_run_seconds` later than they did: they wait behind the others' (never for ever).
- Slow clients together never hold more than `slow_share` workers (the pool's `slow_workers`,
  started beside the others for them; without any, half the workers, at least one), and with two
  workers or more a slow client's run never takes the last free worker (one being replaced
  does not count): there is always a worker left for everybody else.
- A slow client's run yields the CPU (the pool lowers its worker's priority while it runs): on
  a machine with fewer cores than busy processes, it takes only what the others leave.

A run whose client is unknown (`None`) is a client of its own: it never waits for turns and is
never marked slow.
"""

from __future__ import annotations

import time
from collections import Counter, OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

_MAX_SLOW_CLIENTS = 10_000  # remembered; the oldest marks are forgotten first


@dataclass(slots=True)
class _Run:
    client: str | None
    arrived: float
    slow: bool = False  # its client was slow when it was handed to a worker


class Fairness:
    def __init__(
        self,
        workers: int,
        slow_seconds: float,
        penalty_seconds: float,
        clock: Callable[[], float] = time.monotonic,
        slow_share: int = 0,
    ) -> None:
        # the workers slow clients may hold together: those kept for them, else half
        self.slow_share = slow_share or max(1, workers // 2)
        self.keep_one_free = workers > 1
        self.slow_seconds = slow_seconds
        self.penalty_seconds = penalty_seconds
        self.clock = clock
        self._waiting: dict[int, _Run] = {}  # in arrival order
        self._running: dict[int, _Run] = {}  # handed to a worker, not yet ended
        self._per_client: Counter[str] = Counter()  # runs handed out and not ended, by client
        self._slow_running = 0
        self._slow_until: OrderedDict[str, float] = OrderedDict()

    def add(self, job: int, client: str | None) -> None:
        self._waiting[job] = _Run(client, self.clock())

    def drop(self, job: int) -> bool:
        """A waiting run was refused before any worker took it; whether its client was slow
        (its wait was the rules' doing, not a full house)."""
        run = self._waiting.pop(job, None)
        return run is not None and self.is_slow(run.client)

    def next(self, free_workers: int) -> int | None:
        """The run to hand out now (it counts as running from here), or None. `free_workers`:
        idle workers with no run handed to them yet. At 0 or less the run would wait on the
        socket for the next worker to finish: only the first run of a client with nothing going
        may (never a slow client's), so no client can queue a burst ahead of the others."""
        now = self.clock()
        slow_may_go = self._slow_running < self.slow_share and (
            free_workers > 1 or not self.keep_one_free
        )
        best: tuple[float, float] | None = None
        chosen = None
        for job, run in self._waiting.items():
            slow = self.is_slow(run.client, now)
            if slow and not slow_may_go:
                continue  # kept for the others
            turns = 1.0 if run.client is not None and self._per_client[run.client] else 0.0
            if free_workers <= 0 and (slow or turns):
                continue
            key = (turns, run.arrived + (self.penalty_seconds if slow else 0.0))
            if best is None or key < best:
                best, chosen = key, job
        if chosen is not None:
            self._hand_out(chosen, now)
        return chosen

    def ended(self, job: int, ran_out_of_time: bool) -> None:
        """A run handed out has ended: answered, killed, or lost with its worker."""
        run = self._running.pop(job, None)
        if run is None:
            return
        if run.slow:
            self._slow_running -= 1
        if run.client is None:
            return
        self._per_client[run.client] -= 1
        if not self._per_client[run.client]:
            del self._per_client[run.client]
        if ran_out_of_time:
            self._mark_slow(run.client)

    def handed_slow(self, job: int) -> bool:
        """Whether a run handed out was a slow client's (its worker yields the CPU for it)."""
        run = self._running.get(job)
        return run is not None and run.slow

    def is_slow(self, client: str | None, now: float | None = None) -> bool:
        if client is None:
            return False
        until = self._slow_until.get(client)
        if until is None:
            return False
        if until > (self.clock() if now is None else now):
            return True
        del self._slow_until[client]
        return False

    def _hand_out(self, job: int, now: float) -> None:
        run = self._waiting.pop(job)
        run.slow = self.is_slow(run.client, now)
        self._slow_running += run.slow
        if run.client is not None:
            self._per_client[run.client] += 1
        self._running[job] = run

    def _mark_slow(self, client: str) -> None:
        self._slow_until.pop(client, None)
        self._slow_until[client] = self.clock() + self.slow_seconds
        while len(self._slow_until) > _MAX_SLOW_CLIENTS:
            self._slow_until.popitem(last=False)
