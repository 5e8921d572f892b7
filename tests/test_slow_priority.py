"""A slow client's run yields the CPU (app/service/pool.py:yield_cpu), with real workers: its
worker runs at the lowest priority while it runs, and a worker never keeps that priority for
the next client's run (it takes its own back, or is replaced)."""

from __future__ import annotations

import asyncio
import os

from app.pipeline import RunRequest
from app.service.runner import Runner
from app.service.worker import YIELDING_NICE
from app.settings import Settings

# reductions to one number: only time, nothing the element limits count
SLOW = "x = torch.rand(1000, 1000)\nwhile True:\n    y = x.std() + x.std()\n"
QUICK = "x = torch.tensor(3., requires_grad=True)\ny = x * x\ny.backward()\n"


def _nice(pid: int | None) -> int | None:
    try:
        return os.getpriority(os.PRIO_PROCESS, pid or 0) if pid else None
    except OSError:  # gone
        return None


async def _priorities_while(runner: Runner, run: asyncio.Future) -> set[int | None]:
    """The priorities of the workers running something, sampled until `run` is answered."""
    assert runner.pool is not None
    seen: set[int | None] = set()
    while not run.done():
        seen |= {_nice(w.pid) for w in list(runner.pool._workers) if w.running is not None}
        await asyncio.sleep(0.05)
    return seen


def test_a_slow_clients_run_yields_the_cpu_and_the_next_run_does_not() -> None:
    async def scenario() -> None:
        runner = Runner(Settings(workers=1, slow_workers=1, max_run_seconds=1.0, cache_entries=0))
        await runner.start()
        try:
            normal = _nice(os.getpid())
            first = asyncio.ensure_future(runner.run(RunRequest(source=SLOW), "attacker"))
            assert await _priorities_while(runner, first) <= {normal, None}  # not known yet
            status, body, _ = await first
            assert status == 422 and b"max_run_seconds" in body
            again = asyncio.ensure_future(runner.run(RunRequest(source=SLOW + "# 2"), "attacker"))
            assert YIELDING_NICE in await _priorities_while(runner, again)
            await again
            await asyncio.sleep(0.5)  # a worker that could not take its priority back is replaced
            student = asyncio.ensure_future(runner.run(RunRequest(source=QUICK), "student"))
            await asyncio.sleep(0)
            status, _, _ = await student
            assert status == 200
            assert runner.pool is not None and runner.pool.alive == 2
            assert {_nice(w.pid) for w in runner.pool._workers} == {normal}
        finally:
            await runner.close()

    asyncio.run(scenario())
