"""The queue every worker takes runs from (app/service/jobs.py): whole requests, each to exactly
one reader, in order, however large, and never blocking the event loop."""

from __future__ import annotations

import asyncio
import threading
import time

from app.service import jobs


def _job(job_id: int, request: bytes, expires_in: float = 60.0) -> jobs.Job:
    return jobs.Job(job_id, time.monotonic_ns() + int(expires_in * 1e9), request)


def test_small_and_large_requests_arrive_whole() -> None:
    async def scenario() -> None:
        ours, theirs = jobs.pair()
        queue = jobs.JobQueue(ours)
        large = ("数" * 200_000).encode()  # 600 kB: more than one message may hold
        queue.put(_job(1, b'{"source": "x"}'))
        queue.put(_job(2, large))
        queue.put(_job(3, b"x" * jobs.INLINE_BYTES))  # the largest that travels inline
        taken = [await asyncio.to_thread(jobs.take, theirs) for _ in range(3)]
        assert [(job.id, job.request) for job in taken if job] == [
            (1, b'{"source": "x"}'), (2, large), (3, b"x" * jobs.INLINE_BYTES)]  # fmt: skip
        queue.close()
        assert await asyncio.to_thread(jobs.take, theirs) is None  # the web side is gone
        theirs.close()

    asyncio.run(scenario())


def test_a_full_socket_keeps_the_rest_in_order_without_blocking() -> None:
    async def scenario() -> None:
        ours, theirs = jobs.pair()
        queue = jobs.JobQueue(ours)
        count = 2_000  # far more than the socket's buffer holds: put() must not block
        requests = [str(i).encode() * 50 for i in range(count)]
        for i, request in enumerate(requests):
            queue.put(_job(i, request))
        assert queue._backlog, "the socket should have been full"
        seen: list[int] = []

        def drain() -> None:
            for _ in range(count):
                job = jobs.take(theirs)
                assert job is not None and job.request == requests[job.id]
                seen.append(job.id)

        await asyncio.to_thread(drain)  # the event loop writes the backlog as room appears
        assert seen == list(range(count)) and not queue._backlog
        queue.close()
        theirs.close()

    asyncio.run(scenario())


def test_each_job_goes_to_exactly_one_of_several_readers() -> None:
    async def scenario() -> None:
        ours, theirs = jobs.pair()
        queue = jobs.JobQueue(ours)
        taken: list[list[int]] = [[], [], []]

        def reader(mine: list[int]) -> None:
            while (job := jobs.take(theirs)) is not None:
                mine.append(job.id)

        threads = [threading.Thread(target=reader, args=(mine,)) for mine in taken]
        for thread in threads:
            thread.start()
        for i in range(300):
            queue.put(_job(i, b"{}"))
            if i % 50 == 0:
                await asyncio.sleep(0.01)
        while sum(map(len, taken)) < 300:
            await asyncio.sleep(0.01)
        queue.close()  # every reader reads the end
        await asyncio.to_thread(lambda: [thread.join(5) for thread in threads])
        assert sorted(i for mine in taken for i in mine) == list(range(300))
        theirs.close()

    asyncio.run(scenario())


def test_a_job_knows_when_the_web_process_stopped_waiting() -> None:
    assert not _job(1, b"{}", expires_in=60).expired
    assert _job(1, b"{}", expires_in=-0.001).expired
