"""A program drawn again reaches the worker that keeps its trace (issue 16): the pool remembers
which worker answered each traced key (app/service/affinity.py) and sends a request with the
same key to that worker's own queue while it is idle; otherwise it goes where it would have gone.

The pool's bookkeeping with stand-in workers first (what is sent where), then real worker
processes: the expand's answer has the `reuse` lap and is what a fresh run answers (the oracle:
the same request run in this process with nothing kept).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from dataclasses import replace
from typing import Any

import pytest

from app.pipeline import RunRequest
from app.service import jobs
from app.service.affinity import Affinity
from app.service.channel import READY, Report, encode_answer, encode_started
from app.service.handles import Worker
from app.service.pool import Saturated, WorkerPool
from app.service.runner import Runner
from app.service.worker import answer
from app.settings import Settings
from tests.test_pool import _Process, _taken

KEY = 7  # a traced key's hash, as the runner passes it


@contextlib.asynccontextmanager
async def _pool(**settings: Any) -> AsyncIterator[tuple[WorkerPool, list[Worker], Any, list]]:
    """A pool of two stand-in workers, each with its own queue: (pool, workers, the end the
    workers share, the ends of their own queues)."""
    pool = WorkerPool(Settings(workers=2, slow_workers=0, **settings))
    ours, theirs = jobs.pair()
    pool._queue = jobs.JobQueue(ours)
    pool._closed = True  # no fresh workers forked for the stand-ins it drops
    workers, owns = [], []
    for pid in (1001, 1002):
        worker = Worker(_Process(pid), "/nonexistent", asyncio.get_running_loop().create_future())  # type: ignore[arg-type]
        own, its_own = jobs.pair()
        worker.own = jobs.JobQueue(own)
        pool._report(worker, Report(READY))
        workers.append(worker)
        owns.append(its_own)
    try:
        yield pool, workers, theirs, owns
    finally:
        for waiting in pool._waiting.values():
            waiting.future.cancel()
            waiting.timer.cancel()
        pool._queue.close()
        for worker in workers:
            if worker.own is not None:  # not stopped by the scenario
                worker.own.close()
        for end in (theirs, *owns):
            end.close()


async def _answered(pool: WorkerPool, worker: Worker, theirs: Any, **run: Any) -> None:
    """A run with KEY, taken from the shared queue by `worker` and answered 200."""
    request = asyncio.ensure_future(pool.run(b"{}", **run, affinity=KEY))
    await asyncio.sleep(0)
    (job,) = _taken(theirs)
    pool._report(worker, Report(encode_started(job)))
    pool._report(worker, Report(encode_answer(job, 200, b"{}", complete=True)))
    assert (await request).status == 200


def test_a_run_with_a_key_its_idle_worker_traced_goes_to_that_workers_own_queue() -> None:
    async def scenario() -> None:
        async with _pool() as (pool, (a, b), theirs, (own_a, own_b)):
            await _answered(pool, b, theirs)
            again = asyncio.ensure_future(pool.run(b"{}", affinity=KEY))
            other = asyncio.ensure_future(pool.run(b"{}", affinity=KEY + 1))
            await asyncio.sleep(0)
            (job,) = _taken(own_b)
            assert _taken(theirs) == [job + 1] and _taken(own_a) == []
            assert pool._free() == 0  # b has its run, a the other's
            pool._report(b, Report(encode_started(job)))
            pool._report(b, Report(encode_answer(job, 200, b"again", complete=True)))
            assert (await again)[:2] == (200, b"again")
            other.cancel()

    asyncio.run(scenario())


def test_a_busy_worker_is_not_waited_for() -> None:
    async def scenario() -> None:
        async with _pool() as (pool, (a, b), theirs, (own_a, own_b)):
            await _answered(pool, b, theirs)
            busy = asyncio.ensure_future(pool.run(b"{}", affinity=KEY + 1))
            await asyncio.sleep(0)
            (long_run,) = _taken(theirs)
            pool._report(b, Report(encode_started(long_run)))
            again = asyncio.ensure_future(pool.run(b"{}", affinity=KEY))
            await asyncio.sleep(0)
            (job,) = _taken(theirs)  # the shared queue: a takes it at once
            assert _taken(own_b) == [] and _taken(own_a) == []
            pool._report(a, Report(encode_started(job)))
            pool._report(a, Report(encode_answer(job, 200, b"a", complete=True)))
            assert (await again)[:2] == (200, b"a")
            assert pool._affinity.get(KEY) is a  # a keeps that trace now
            busy.cancel()

    asyncio.run(scenario())


def test_nothing_is_sent_to_one_worker_while_runs_wait_on_the_shared_queue() -> None:
    """A worker the pool counts idle may be taking one of those: a run sent to it would wait
    behind that run while the other worker is free."""

    async def scenario() -> None:
        async with _pool() as (pool, (a, b), theirs, (own_a, own_b)):
            await _answered(pool, b, theirs)
            first = asyncio.ensure_future(pool.run(b"{}", "someone"))
            again = asyncio.ensure_future(pool.run(b"{}", "student", affinity=KEY))
            await asyncio.sleep(0)
            assert len(_taken(theirs)) == 2 and _taken(own_b) == []
            first.cancel()
            again.cancel()

    asyncio.run(scenario())


def test_a_run_sent_to_a_worker_that_ends_unstarted_goes_to_the_others() -> None:
    async def scenario() -> None:
        async with _pool() as (pool, (a, b), theirs, (own_a, own_b)):
            await _answered(pool, b, theirs)
            again = asyncio.ensure_future(pool.run(b"{}", affinity=KEY))
            await asyncio.sleep(0)
            (job,) = _taken(own_b)
            pool._lost(b, EOFError("its worker_max_runs: it exits between runs"))
            assert _taken(theirs) == [job] and pool._affinity.get(KEY) is None
            pool._report(a, Report(encode_started(job)))
            pool._report(a, Report(encode_answer(job, 200, b"a", complete=True)))
            assert (await again)[:2] == (200, b"a")

    asyncio.run(scenario())


def test_only_the_worker_a_run_was_sent_to_may_start_it() -> None:
    async def scenario() -> None:
        async with _pool() as (pool, (a, b), theirs, (own_a, own_b)):
            await _answered(pool, b, theirs)
            again = asyncio.ensure_future(pool.run(b"{}", affinity=KEY))
            await asyncio.sleep(0)
            (job,) = _taken(own_b)
            pool._report(a, Report(encode_started(job)))  # not sent to it
            assert a.process.killed and not b.process.killed  # type: ignore[attr-defined]
            pool._report(b, Report(encode_started(job)))
            pool._report(b, Report(encode_answer(job, 200, b"b", complete=True)))
            assert (await again)[:2] == (200, b"b")

    asyncio.run(scenario())


def test_a_run_sent_to_a_worker_and_not_taken_in_time_is_refused_and_forgotten() -> None:
    async def scenario() -> None:
        async with _pool(queue_wait_seconds=0.05) as (pool, (a, b), theirs, (own_a, own_b)):
            await _answered(pool, b, theirs)
            with pytest.raises(Saturated):
                await pool.run(b"{}", affinity=KEY)
            assert b.assigned is None and pool._assigned == {} and pool._free() == 2
            assert len(_taken(own_b)) == 1  # b skips it when it reads it: expired

    asyncio.run(scenario())


def test_a_slow_clients_run_never_takes_the_last_free_worker_for_its_trace() -> None:
    """The fairness rules choose first (fairness.py), the affinity only where to: a slow
    client's expand whose worker is idle still waits while that is the last free one."""

    async def scenario() -> None:
        async with _pool() as (pool, (a, b), theirs, (own_a, own_b)):
            await _answered(pool, b, theirs, client="attacker")
            pool._fairness._mark_slow("attacker")
            busy = asyncio.ensure_future(pool.run(b"{}", "student"))
            await asyncio.sleep(0)
            (student,) = _taken(theirs)
            pool._report(a, Report(encode_started(student)))
            again = asyncio.ensure_future(pool.run(b"{}", "attacker", affinity=KEY))
            await asyncio.sleep(0)
            assert _taken(own_b) == [] and _taken(theirs) == []  # b is the last free worker
            pool._report(a, Report(encode_answer(student, 200, b"{}", complete=True)))
            (job,) = _taken(own_b)  # two free now: b is its own, at the lowest priority
            assert pool._fairness.handed_slow(job)
            busy.cancel()
            again.cancel()

    asyncio.run(scenario())


def test_the_map_is_bounded_and_forgets_a_stopped_worker() -> None:
    kept: Affinity[str] = Affinity(entries=2)
    for key, worker in ((1, "a"), (2, "b"), (3, "a")):
        kept.ran(key, worker)
    assert (kept.get(1), kept.get(2), kept.get(3)) == (None, "b", "a")
    kept.ran(2, "a")  # answered again, by another worker: the newest
    kept.ran(4, "b")
    assert (kept.get(3), kept.get(2), kept.get(4)) == (None, "a", "b")
    kept.forget("a")
    assert len(kept) == 1 and kept.get(4) == "b" and kept.get(None) is None
    none: Affinity[str] = Affinity(entries=0)  # graph_reuse_entries = 0: nothing is kept
    none.ran(1, "a")
    assert len(none) == 0


# Real workers. A program's first statements take a while and add nothing to its graph (no
# tensor there asks for a gradient), so that runs started together spread over the workers.
PROGRAM = """\
import torch
w = torch.ones(300, 300)
for i in range({work}):
    z = w @ w
x = torch.tensor(1.0, requires_grad=True)
y = x
for i in range(30):
    y = y * {rate} + 0.5
y.backward()
"""
SHAPES = [{"workers": 2, "slow_workers": 0}, {"workers": 1, "slow_workers": 1}]
FRESH = Settings(graph_reuse_entries=0, max_run_seconds=60)


def _request(rate: float, work: int = 4) -> RunRequest:
    source = PROGRAM.format(work=work, rate=rate)
    return RunRequest(source=source, formats=("graph", "svg"), detail="drawn")


def _without_timings(body: bytes) -> dict[str, Any]:
    content = json.loads(body)
    del content["timings_ms"]
    return content


def _fresh(request: RunRequest) -> dict[str, Any]:
    """What running the request again answers: run and traced here, nothing kept."""
    status, body, *_ = answer(request, FRESH)
    assert status == 200
    return _without_timings(body)


async def _running(runner: Runner, count: int) -> None:
    """Until `count` workers have started a run."""
    assert runner.pool is not None
    while runner.pool.busy < count:
        await asyncio.sleep(0.005)


async def _on_both(runner: Runner, requests: list[RunRequest]) -> list[bytes]:
    """Two runs at a time, the second sent once the first is running: one on each worker."""
    bodies = []
    for first, second in zip(requests[::2], requests[1::2], strict=True):
        one = asyncio.ensure_future(runner.run(first))
        await _running(runner, 1)
        two = asyncio.ensure_future(runner.run(second))
        bodies += [body for _, body, _ in await asyncio.gather(one, two)]
    return bodies


def _holder(runner: Runner, request: RunRequest) -> Worker | None:
    assert runner.pool is not None
    return runner.pool._affinity.get(runner._affinity(request))


async def _expand(runner: Runner, request: RunRequest, body: bytes) -> tuple[RunRequest, bytes]:
    fold = json.loads(body)["graph"]["groups"][0]["id"]
    expand = replace(request, unfold=(fold,))
    status, answered, cached = await runner.run(expand)
    assert status == 200 and not cached
    return expand, answered


@pytest.mark.parametrize("shape", SHAPES, ids=["workers=2", "workers=1+slow_workers=1"])
def test_each_expand_reaches_the_worker_that_traced_its_program(shape: dict[str, int]) -> None:
    async def scenario() -> None:
        runner = Runner(Settings(**shape, cache_entries=0, max_run_seconds=60))
        await runner.start()
        try:
            requests = [_request(1.01 + i / 100, work=20) for i in range(4)]
            bodies = await _on_both(runner, requests)
            holders = [_holder(runner, request) for request in requests]
            assert holders[0] is not holders[1] and holders[2] is not holders[3]
            for i in (0, 2, 1, 3, 0):  # from one worker to the other, and back
                expand, body = await _expand(runner, requests[i], bodies[i])
                timings = json.loads(body)["timings_ms"]
                assert "reuse" in timings and "run" not in timings, (i, timings)
                assert _without_timings(body) == _fresh(expand)
                assert _holder(runner, requests[i]) is holders[i]
        finally:
            await runner.close()

    asyncio.run(scenario())


def test_an_expand_whose_worker_is_busy_runs_on_the_free_one() -> None:
    async def scenario() -> None:
        runner = Runner(Settings(workers=2, slow_workers=0, cache_entries=0, max_run_seconds=60))
        await runner.start()
        try:
            first_long = asyncio.ensure_future(runner.run(_request(1.5, work=100)))
            await _running(runner, 1)
            request = _request(1.01)
            _, body, _ = await runner.run(request)  # on the other worker: the only one free
            holder = _holder(runner, request)
            assert holder is not None and holder.running is None
            second_long = asyncio.ensure_future(runner.run(_request(1.6, work=400)))
            await _running(runner, 2)  # on the expand's worker: the only one free
            await first_long
            expand, answered = await _expand(runner, request, body)
            assert not second_long.done()  # it did not wait for its worker
            timings = json.loads(answered)["timings_ms"]
            assert "run" in timings and "reuse" not in timings  # ran again, elsewhere
            assert _without_timings(answered) == _fresh(expand)
            assert _holder(runner, request) is not holder  # the other one keeps it now
            second_long.cancel()
        finally:
            await runner.close()

    asyncio.run(scenario())
