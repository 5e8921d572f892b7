"""The pool's bookkeeping (app/service/pool.py) with stand-in workers: which request each
report settles, and that a worker breaking the protocol cannot answer for another's request.
(Real workers, real kills and real time limits: tests/test_service.py.)"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from typing import Any

import pytest

from app.api.errors import unavailable
from app.service import jobs
from app.service.channel import READY, Report, encode_answer, encode_started
from app.service.handles import Worker
from app.service.pool import Saturated, SlowClient, WorkerLost, WorkerPool
from app.settings import Settings


class _Process:
    """What the pool asks of a worker's process."""

    def __init__(self, pid: int) -> None:
        self.pid, self.exitcode, self.killed = pid, None, False

    def is_alive(self) -> bool:
        return not self.killed

    def kill(self) -> None:
        self.killed, self.exitcode = True, -9

    def join(self, timeout: float | None = None) -> None:
        pass

    def close(self) -> None:
        pass


@contextlib.asynccontextmanager
async def _pool(**settings: Any) -> AsyncIterator[tuple[WorkerPool, list[Worker], Any]]:
    pool = WorkerPool(Settings(workers=2, **settings))
    ours, theirs = jobs.pair()
    pool._queue = jobs.JobQueue(ours)
    pool._closed = True  # no fresh workers forked for the stand-ins it drops
    workers = []
    for pid in (1001, 1002):
        worker = Worker(_Process(pid), "/nonexistent", asyncio.get_running_loop().create_future())  # type: ignore[arg-type]
        pool._report(worker, Report(READY))
        workers.append(worker)
    try:
        yield pool, workers, theirs
    finally:
        for waiting in pool._waiting.values():
            waiting.future.cancel()
            waiting.timer.cancel()
        pool._queue.close()
        theirs.close()


def _taken(theirs: Any) -> list[int]:
    """The ids of what the queue holds, in order, as workers would take them."""
    found = []
    theirs.setblocking(False)
    while True:
        try:
            job = jobs.read(theirs)
        except BlockingIOError:
            return found
        assert job is not None
        found.append(job.id)


async def _two_queued(pool: WorkerPool, theirs: Any) -> tuple[Any, Any, int, int]:
    """Two requests put on the queue: their futures, and their job ids in queue order."""
    first = asyncio.ensure_future(pool.run(b"{}"))
    second = asyncio.ensure_future(pool.run(b"{}"))
    await asyncio.sleep(0)
    one, two = _taken(theirs)
    return first, second, one, two


def test_each_answer_settles_the_request_its_worker_started() -> None:
    async def scenario() -> None:
        async with _pool() as (pool, (a, b), theirs):
            first, second, one, two = await _two_queued(pool, theirs)
            pool._report(a, Report(encode_started(one)))
            pool._report(b, Report(encode_started(two)))
            assert pool.busy == 2 and pool._queued == 0
            pool._report(b, Report(encode_answer(two, 200, b"two")))
            pool._report(a, Report(encode_answer(one, 422, b"one")))
            assert (await first)[:2] == (422, b"one") and (await second)[:2] == (200, b"two")
            assert pool.busy == 0 and pool._waiting == {}
            for worker in (a, b):
                assert worker.deadline is None and not worker.process.killed  # type: ignore[attr-defined]

    asyncio.run(scenario())


def test_a_worker_answering_for_another_is_dropped_and_costs_only_its_own_request() -> None:
    async def scenario() -> None:
        async with _pool() as (pool, (a, b), theirs):
            first, second, one, two = await _two_queued(pool, theirs)
            pool._report(a, Report(encode_started(one)))
            pool._report(b, Report(encode_started(two)))
            pool._report(b, Report(encode_answer(one, 200, b"forged")))  # not its job
            assert b.process.killed and b not in pool._workers  # type: ignore[attr-defined]
            with pytest.raises(WorkerLost):
                await second
            assert not first.done()
            pool._report(a, Report(encode_answer(one, 200, b"real")))
            assert (await first)[:2] == (200, b"real")

    asyncio.run(scenario())


def test_a_worker_starting_a_job_out_of_turn_is_dropped() -> None:
    async def scenario() -> None:
        async with _pool() as (pool, (a, b), theirs):
            first, second, one, two = await _two_queued(pool, theirs)
            pool._report(a, Report(encode_started(one)))
            pool._report(b, Report(encode_started(one)))  # another worker's job
            assert b.process.killed and not a.process.killed  # type: ignore[attr-defined]
            pool._report(a, Report(encode_started(two)))  # a second run while one runs
            assert a.process.killed  # type: ignore[attr-defined]
            with pytest.raises(WorkerLost):
                await first
            assert not second.done()  # started by nobody: it still waits for a worker

    asyncio.run(scenario())


def test_the_queue_is_bounded_beyond_the_idle_workers() -> None:
    async def scenario() -> None:
        async with _pool(queue_limit=1) as (pool, (a, _), theirs):
            waiting = [asyncio.ensure_future(pool.run(b"{}")) for _ in range(3)]
            await asyncio.sleep(0)  # 2 idle workers + 1 queued: the fourth is refused
            with pytest.raises(Saturated):
                await pool.run(b"{}")
            first = _taken(theirs)[0]
            pool._report(a, Report(encode_started(first)))
            with pytest.raises(Saturated):  # 1 idle + 1 queued beyond it: still full
                await pool.run(b"{}")
            pool._report(a, Report(encode_answer(first, 200, b"{}")))
            assert (await waiting[0])[:2] == (200, b"{}")
            late = asyncio.ensure_future(pool.run(b"{}"))  # room again
            await asyncio.sleep(0)
            assert not late.done()

    asyncio.run(scenario())


def test_a_job_nobody_takes_in_time_is_refused() -> None:
    async def scenario() -> None:
        async with _pool(queue_wait_seconds=0.05) as (pool, _, theirs):
            with pytest.raises(Saturated):
                await pool.run(b"{}")
            assert pool._queued == 0 and pool._waiting == {}
            (job_id,) = _taken(theirs)
            assert job_id == 1

    asyncio.run(scenario())


def test_runs_are_handed_out_for_idle_workers_and_clients_take_turns() -> None:
    async def scenario() -> None:
        async with _pool() as (pool, (a, b), theirs):
            flood = [asyncio.ensure_future(pool.run(b"{}", "flood")) for _ in range(3)]
            await asyncio.sleep(0)
            assert _taken(theirs) == [1, 2]  # two idle workers, nobody else waiting: the flood's
            pool._report(a, Report(encode_started(1)))
            pool._report(b, Report(encode_started(2)))
            student = asyncio.ensure_future(pool.run(b"{}", "student"))
            await asyncio.sleep(0)
            # nobody is free: the student's first run waits on the socket for the next worker,
            # ahead of the flood's third (a client with runs going never gets one there)
            assert _taken(theirs) == [4]
            pool._report(b, Report(encode_answer(2, 200, b"f", complete=True)))
            pool._report(b, Report(encode_started(4)))
            assert _taken(theirs) == []
            pool._report(b, Report(encode_answer(4, 200, b"s", complete=True)))
            assert await student == (200, b"s", True, False)
            assert _taken(theirs) == [3]
            for future in flood:
                future.cancel()

    asyncio.run(scenario())


def test_a_client_whose_run_ran_out_of_time_never_holds_every_worker() -> None:
    async def scenario() -> None:
        async with _pool() as (pool, (a, b), theirs):
            first = asyncio.ensure_future(pool.run(b"{}", "attacker"))
            await asyncio.sleep(0)
            (one,) = _taken(theirs)
            pool._report(a, Report(encode_started(one)))
            pool._report(a, Report(encode_answer(one, 422, b"{}", out_of_time=True)))
            assert (await first).out_of_time
            again = [asyncio.ensure_future(pool.run(b"{}", "attacker")) for _ in range(2)]
            await asyncio.sleep(0)
            (two,) = _taken(theirs)  # two idle workers, but only one for a slow client
            pool._report(a, Report(encode_started(two)))
            student = asyncio.ensure_future(pool.run(b"{}", "student"))
            await asyncio.sleep(0)
            (three,) = _taken(theirs)  # the free worker is the student's at once
            pool._report(b, Report(encode_started(three)))
            pool._report(b, Report(encode_answer(three, 200, b"{}", complete=True)))
            assert (await student).status == 200
            assert _taken(theirs) == []  # still one slow run going: the other one waits
            for future in again:
                future.cancel()

    asyncio.run(scenario())


def test_a_slow_clients_run_that_waits_too_long_is_its_429_and_a_full_house_is_503() -> None:
    async def scenario() -> None:
        async with _pool(queue_wait_seconds=0.2, max_run_seconds=3.5) as (pool, (a, b), theirs):
            first = asyncio.ensure_future(pool.run(b"{}", "attacker"))
            await asyncio.sleep(0)
            (one,) = _taken(theirs)
            pool._report(a, Report(encode_started(one)))
            pool._report(a, Report(encode_answer(one, 422, b"{}", out_of_time=True)))
            await first
            student = asyncio.ensure_future(pool.run(b"{}", "student"))
            await asyncio.sleep(0)
            (two,) = _taken(theirs)
            pool._report(b, Report(encode_started(two)))  # one worker left: not a slow client's
            with pytest.raises(SlowClient) as held_back:
                await pool.run(b"{}", "attacker")
            assert held_back.value.retry_after == 4  # a slow run's place: max_run_seconds later
            with pytest.raises(Saturated) as full:  # handed out, and no worker took it in time
                await pool.run(b"{}", "someone")
            assert not isinstance(full.value, SlowClient)
            student.cancel()

    asyncio.run(scenario())


def test_a_run_is_killed_and_answered_within_a_second_past_its_wall_time() -> None:
    async def scenario() -> None:
        async with _pool(max_run_seconds=0.2, layout_seconds=5) as (pool, (a, _), theirs):
            loop = asyncio.get_running_loop()
            request = asyncio.ensure_future(pool.run(b"{}", "someone"))
            await asyncio.sleep(0)
            (job,) = _taken(theirs)
            pool._report(a, Report(encode_started(job)))
            began = loop.time()
            answer = await request
            assert loop.time() - began <= 0.2 + 1.0
            assert answer.status == 422 and answer.out_of_time and not answer.complete
            assert json.loads(answer.body)["limit"] == "max_run_seconds"
            assert a.process.killed  # type: ignore[attr-defined]
            assert pool._fairness.is_slow("someone")

    asyncio.run(scenario())


def test_a_run_whose_worker_died_is_answered_503_and_never_handed_out_again() -> None:
    async def scenario() -> None:
        async with _pool() as (pool, (a, b), theirs):
            request = asyncio.ensure_future(pool.run(b"{}", "crasher"))
            await asyncio.sleep(0)
            (job,) = _taken(theirs)
            pool._report(a, Report(encode_started(job)))
            pool._lost(a, EOFError("SIGSEGV"))
            with pytest.raises(WorkerLost):
                await request
            await asyncio.sleep(0)
            assert _taken(theirs) == []  # not retried on the other worker
            assert not b.process.killed and pool._waiting == {}  # type: ignore[attr-defined]

    asyncio.run(scenario())


def test_a_slow_clients_refusal_is_a_429_with_retry_after_and_a_full_house_a_503() -> None:
    held_back, full = unavailable(SlowClient(4)), unavailable(Saturated())
    assert (held_back.kind, held_back.code, held_back.headers) == (
        "rate_limited",
        429,
        {"Retry-After": "4"},
    )
    assert (full.kind, full.code) == ("busy", 503)
