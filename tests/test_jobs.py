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
        inbox = jobs.Inbox(theirs)
        taken = [await asyncio.to_thread(inbox.take) for _ in range(3)]
        assert [(job.id, job.request) for job in taken if job] == [
            (1, b'{"source": "x"}'), (2, large), (3, b"x" * jobs.INLINE_BYTES)]  # fmt: skip
        queue.close()
        assert await asyncio.to_thread(inbox.take) is None  # the web side is gone
        inbox.close()
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

        inbox = jobs.Inbox(theirs)

        def drain() -> None:
            for _ in range(count):
                job = inbox.take()
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
            inbox = jobs.Inbox(theirs)  # one each, as every worker has
            while (job := inbox.take()) is not None:
                mine.append(job.id)
            inbox.close()

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


def test_a_trickle_of_jobs_goes_to_one_idle_worker_not_to_each_in_turn() -> None:
    """Each job wakes the first registered reader of those waiting, so one-at-a-time jobs keep
    going to the same (warm) worker; readers blocked in the socket's own read would take turns."""

    async def scenario() -> None:
        ours, theirs = jobs.pair()
        queue = jobs.JobQueue(ours)
        taken: list[list[int]] = [[], []]
        inboxes = [jobs.Inbox(theirs), jobs.Inbox(theirs)]

        def reader(inbox: jobs.Inbox, mine: list[int]) -> None:
            while (job := inbox.take()) is not None:
                mine.append(job.id)

        pairs = zip(inboxes, taken, strict=True)
        threads = [threading.Thread(target=reader, args=pair) for pair in pairs]
        for thread in threads:
            thread.start()
        await asyncio.sleep(0.1)  # both wait
        for i in range(50):
            queue.put(_job(i, b"{}"))
            while sum(map(len, taken)) <= i:
                await asyncio.sleep(0.001)
            await asyncio.sleep(0.01)  # its reader is back waiting before the next one
        queue.close()
        await asyncio.to_thread(lambda: [thread.join(5) for thread in threads])
        assert sorted(taken[0] + taken[1]) == list(range(50))
        assert max(map(len, taken)) >= 45, [len(mine) for mine in taken]
        for inbox in inboxes:
            inbox.close()
        theirs.close()

    asyncio.run(scenario())
