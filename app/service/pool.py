"""A pool of worker processes in front of the pipeline, with a bounded queue.

- Requests go on one queue that every worker takes from when it is free (jobs.py): a free worker
  never waits to be picked, and no request waits behind a slow run while a worker is idle. When
  `queue_limit` requests already wait beyond the idle workers, a new one is refused at once
  (`Saturated` → 503 with Retry-After); one that waits `queue_wait_seconds` is refused then.
- A run past its wall time (the engine's own deadline, plus a grace period) is killed with its
  worker; the request gets a 422 `limit` answer and a fresh worker takes the dead one's place.
- A worker that dies for any other reason (killed from outside, crashed) costs only the request
  it was running (`WorkerLost` → 503), and is replaced the same way.
- Workers exit after `worker_max_runs` runs, between two runs, and are replaced, so slow leaks
  cannot build up.
- A request whose client has gone keeps its place: its run is bounded like any other, and its
  answer is dropped.

Each worker reports on a socket of its own (channel.py): when it starts a job, and the answer.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import itertools
import logging
import multiprocessing
import socket
import tempfile
import time
from multiprocessing.process import BaseProcess

from app import problems
from app.service import jobs
from app.service.channel import Channel, Report
from app.service.worker import Answer, WorkerConfig, main, remove_directory
from app.settings import Settings

log = logging.getLogger("autograd_playground.pool")
_GRACE_SECONDS = 2.0
_START_SECONDS = 120.0
_RESTART_SECONDS = 1.0


class Saturated(Exception):
    """Every worker is busy and the queue is full, or the request waited too long."""


class WorkerLost(Exception):
    """The worker running this request died (killed from outside, or crashed)."""


class _Worker:
    def __init__(self, process: BaseProcess, directory: str, ready: asyncio.Future[None]) -> None:
        self.process = process
        self.pid = process.pid
        self.exitcode: int | None = None  # known once stopped
        self.directory = directory
        self.ready = ready  # set when the worker says READY, failed when it dies before
        self.channel: Channel | None = None
        self.running: int | None = None  # the job it has started and not answered
        self.deadline: asyncio.TimerHandle | None = None

    def stop(self) -> None:
        if self.deadline is not None:
            self.deadline.cancel()
        if self.channel is not None:
            self.channel.close()
            self.channel = None  # it calls back into the pool with this worker: no cycle left
        if self.process.is_alive():
            self.process.kill()
        self.process.join(timeout=5)
        self.exitcode = self.process.exitcode
        # The process object holds the pipes it was started through until it is collected;
        # a pool that replaces workers for months must give them back now.
        with contextlib.suppress(ValueError):  # still running after the join's time-out
            self.process.close()
        remove_directory(self.directory)


class _Waiting:
    """A request on the queue, until its answer (or its refusal) is settled."""

    __slots__ = ("future", "timer", "started")

    def __init__(self, future: asyncio.Future[Answer], timer: asyncio.TimerHandle) -> None:
        self.future = future
        self.timer = timer  # the queue wait: cancelled when a worker starts it
        self.started = False


class WorkerPool:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.size = max(1, settings.workers)
        # A fork server that has imported torch and the pipeline once: each new worker is a
        # fork of it (copy-on-write, ready in milliseconds), and never of the web process.
        self._context = multiprocessing.get_context("forkserver")
        self._context.set_forkserver_preload(["app.service.worker", "app.pipeline"])
        self._run_timeout = settings.max_run_seconds + settings.layout_seconds + _GRACE_SECONDS
        self._workers: set[_Worker] = set()
        self._waiting: dict[int, _Waiting] = {}
        self._queued = 0  # requests on the queue that no worker has started
        self._ids = itertools.count(1)
        self._queue: jobs.JobQueue | None = None
        self._workers_end: socket.socket | None = None  # handed to every new worker
        self._closed = False
        self._starting: set[asyncio.Task[None]] = set()

    async def start(self) -> None:
        ours, theirs = jobs.pair()
        self._queue, self._workers_end = jobs.JobQueue(ours), theirs
        await asyncio.gather(*(self._add_worker() for _ in range(self.size)))

    async def close(self) -> None:
        self._closed = True
        for task in self._starting:
            task.cancel()
        if self._queue is not None:
            self._queue.close()  # a worker waiting for a job reads the end, and exits
        for worker in list(self._workers):
            self._workers.discard(worker)
            worker.stop()
        if self._workers_end is not None:
            self._workers_end.close()
        for waiting in self._waiting.values():
            waiting.timer.cancel()
            _settle(waiting.future, error=WorkerLost())
        self._waiting.clear()

    @property
    def busy(self) -> int:
        return sum(1 for worker in self._workers if worker.running is not None)

    async def run(self, request: bytes) -> Answer:
        """`request`: the run's fields as JSON (RunRequest's, as the cache keys them)."""
        assert self._queue is not None, "start the pool first"
        if self._queued >= self.settings.queue_limit + len(self._workers) - self.busy:
            raise Saturated
        loop = asyncio.get_running_loop()
        job_id = next(self._ids)
        wait = self.settings.queue_wait_seconds
        # A queue that does not move (workers failing to start) answers 503, never hangs.
        timer = loop.call_later(wait, self._unclaimed, job_id)
        waiting = self._waiting[job_id] = _Waiting(loop.create_future(), timer)
        self._queued += 1
        self._queue.put(jobs.Job(job_id, time.monotonic_ns() + int(wait * 1e9), request))
        return await waiting.future

    def _unclaimed(self, job_id: int) -> None:
        """No worker took the job in time; one that takes it later skips it (its expiry)."""
        waiting = self._waiting.pop(job_id, None)
        if waiting is not None:
            self._queued -= 1
            _settle(waiting.future, error=Saturated())

    def _report(self, worker: _Worker, report: Report) -> None:
        if report.kind == "started":
            waiting = self._waiting.get(report.job_id)
            if worker.running is not None or (waiting is not None and waiting.started):
                # one run at a time, each job to one worker: anything else is a broken (or
                # subverted) worker, which must not answer for another worker's request
                self._lost(worker, EOFError(f"the worker started job {report.job_id} out of turn"))
                return
            worker.running = report.job_id
            # still computing past this: only killing the worker stops it
            worker.deadline = asyncio.get_running_loop().call_later(
                self._run_timeout, self._overran, worker
            )
            if waiting is not None:
                waiting.started = True
                waiting.timer.cancel()
                self._queued -= 1
        elif report.kind == "answer":
            if report.job_id != worker.running:
                self._lost(worker, EOFError(f"the worker answered job {report.job_id} unasked"))
                return
            worker.running = None
            if worker.deadline is not None:
                worker.deadline.cancel()
                worker.deadline = None
            waiting = self._waiting.pop(report.job_id, None)
            if waiting is not None:  # else: refused already, or its client is gone
                _settle(waiting.future, (report.status, report.body))
        elif not worker.ready.done():  # "ready": from now on it takes jobs
            self._workers.add(worker)
            worker.ready.set_result(None)

    def _overran(self, worker: _Worker) -> None:
        waiting = None if worker.running is None else self._waiting.pop(worker.running, None)
        if waiting is not None:
            _settle(waiting.future, (422, _wall_time_answer(self.settings.max_run_seconds)))
        self._replace(worker)

    def _lost(self, worker: _Worker, reason: BaseException) -> None:
        if not worker.ready.done():
            worker.ready.set_exception(EOFError(str(reason)))
            return  # _add_worker cleans up and tries again
        if worker not in self._workers:
            return  # stopped on purpose
        running = worker.running
        self._replace(worker)  # killed if it still runs, joined, and a fresh one started
        if running is None:  # between runs: it finished its worker_max_runs (or broke)
            log.info("worker %s ended between runs: %r", worker.pid, reason)
            return
        log.error("worker %s lost mid-run (exit code %s): %r", worker.pid, worker.exitcode,
                  reason)  # fmt: skip
        waiting = self._waiting.pop(running, None)
        if waiting is not None:
            _settle(waiting.future, error=WorkerLost())

    def _replace(self, worker: _Worker) -> None:
        self._workers.discard(worker)
        worker.stop()
        if not self._closed:
            self._replace_later()

    def _replace_later(self) -> None:
        task = asyncio.get_running_loop().create_task(self._add_worker())
        self._starting.add(task)
        task.add_done_callback(self._starting.discard)

    async def _add_worker(self) -> None:
        directory = tempfile.mkdtemp(prefix="playground-worker-")
        parent, child = socket.socketpair()
        config = WorkerConfig(
            memory_mb=self.settings.worker_memory_mb,
            directory=directory,
            max_runs=self.settings.worker_max_runs,
            settings=self.settings.model_dump(),
        )
        process = self._context.Process(
            target=main, args=(child, self._workers_end, config), daemon=True
        )
        process.start()
        child.close()
        worker = _Worker(process, directory, asyncio.get_running_loop().create_future())
        worker.channel = await Channel.attach(
            parent, functools.partial(self._report, worker), functools.partial(self._lost, worker)
        )
        try:
            await asyncio.wait_for(asyncio.shield(worker.ready), _START_SECONDS)
        except (TimeoutError, EOFError):
            worker.ready.cancel()  # its end is no longer awaited
            self._workers.discard(worker)
            worker.stop()
            log.error("a worker failed to start; trying again in %s s", _RESTART_SECONDS)
            await asyncio.sleep(_RESTART_SECONDS)
            if not self._closed:
                self._replace_later()


def _settle(
    future: asyncio.Future[Answer], answer: Answer | None = None, error: Exception | None = None
) -> None:
    """Settle a request's future, unless its client has gone (the future is cancelled)."""
    if future.done():
        return
    if error is not None:
        future.set_exception(error)
    else:
        future.set_result(answer)  # type: ignore[arg-type]


def _wall_time_answer(seconds: float) -> bytes:
    message = f"the run took too long and was stopped (limit max_run_seconds = {seconds})"
    return problems.encode(problems.limit("max_run_seconds", seconds, message))
