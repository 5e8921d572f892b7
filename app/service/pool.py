"""A pool of worker processes in front of the pipeline, with a bounded queue.

- Requests wait here, in the web process, until a worker is free; then the fairness rules
  (fairness.py: clients take turns; clients whose runs ran out of time wait behind the others,
  hold at most `slow_workers` workers, started for them beside `workers`, and never the last
  free one) choose which one goes on the socket every free worker reads (jobs.py). A free
  worker never waits for a particular one to be picked, and no request waits behind a slow run
  while a worker is idle. When `queue_limit` requests already wait beyond the idle workers, a
  new one is refused at once (`Saturated` → 503 with Retry-After); one that waits
  `queue_wait_seconds` is refused then (`SlowClient` → 429 with Retry-After when it waited
  because its client is slow: that client is held back, the service is not full).
- A run drawn again (its traced key, app/traced.py, answered before: a fold expanded) goes on
  the own queue of the worker that keeps its trace (affinity.py) when that worker is idle and
  no run waits on the shared socket; else on the shared socket, as any run. The fairness rules
  still choose which runs go and how many workers slow clients hold; the affinity only which
  idle worker runs it.
- A run is answered within `max_run_seconds` + 1 s of its start: one still computing then is
  killed with its worker; the request gets a 422 `limit` answer and a fresh worker takes the dead
  one's place.
- A worker that dies for any other reason (killed from outside, crashed) costs only the request
  it was running (`WorkerLost` → 503), and is replaced the same way. That request is never run
  again: a program that kills its worker costs one worker, not one per retry.
- Workers exit after `worker_max_runs` runs, between two runs, and are replaced, so slow leaks
  cannot build up.
- A slow client's run (fairness.py) runs at the lowest CPU priority (`yield_cpu`); the worker
  takes its own priority back between runs, or, where it may not (an unprivileged user), exits
  and is replaced.
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
import math
import multiprocessing
import os
import socket
import tempfile
import time

from app.service import jobs
from app.service.affinity import Affinity
from app.service.channel import Channel, Report
from app.service.fairness import Fairness
from app.service.handles import Waiting, Worker
from app.service.worker import YIELDING_NICE, Answer, WorkerConfig, main, wall_time_answer
from app.settings import Settings

log = logging.getLogger("autograd_playground.pool")
# Of the second a run is promised beyond max_run_seconds: the kill, the join and the answer's
# way back to the client take the rest.
_KILL_AFTER_SECONDS = 0.75
_AHEAD_PER_WORKER = 4
_START_SECONDS = 120.0
_RESTART_SECONDS = 1.0


class Saturated(Exception):
    """Every worker is busy and the queue is full, or the request waited too long."""


class SlowClient(Saturated):
    """The run waited `queue_wait_seconds` behind others because its client's runs ran out of
    wall time lately (fairness.py): the client is held back, the service is not full."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(retry_after)
        self.retry_after = retry_after  # seconds: a slow run's place in the queue


class WorkerLost(Exception):
    """The worker running this request died (killed from outside, or crashed)."""


class WorkerPool:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        # the slow clients' workers come on top: a class keeps `workers` whatever they run
        self.size = max(1, settings.workers) + settings.slow_workers
        # A fork server that has imported torch and the pipeline once: each new worker is a
        # fork of it (copy-on-write, ready in milliseconds), and never of the web process.
        self._context = multiprocessing.get_context("forkserver")
        self._context.set_forkserver_preload(["app.service.worker", "app.pipeline"])
        self._run_timeout = settings.max_run_seconds + _KILL_AFTER_SECONDS
        self._workers: set[Worker] = set()
        self._waiting: dict[int, Waiting] = {}
        self._queued = 0  # requests that no worker has started
        self._handed: set[int] = set()  # on the workers' socket, not started yet
        self._assigned: dict[int, Worker] = {}  # on that worker's own queue, not started yet
        # which worker traced which run: at most what every worker together keeps
        self._affinity: Affinity[Worker] = Affinity(settings.graph_reuse_entries * self.size)
        self._fairness = Fairness(
            self.size,
            settings.slow_client_seconds,
            penalty_seconds=settings.max_run_seconds,
            slow_share=settings.slow_workers,
        )
        self._ids = itertools.count(1)
        self._queue: jobs.JobQueue | None = None
        self._workers_end: socket.socket | None = None  # handed to every new worker
        self._closed = False
        self._starting: set[asyncio.Task[None]] = set()
        self.replaced = 0  # workers stopped and replaced, for /metrics

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
            self._queue = None
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

    @property
    def queued(self) -> int:
        return self._queued

    @property
    def alive(self) -> int:
        return len(self._workers)

    async def run(
        self, request: bytes, client: str | None = None, affinity: int | None = None
    ) -> Answer:
        """`request`: the run's fields as JSON (RunRequest's, as the cache keys them);
        `client`: who asks (their address), for the fairness rules; None when unknown;
        `affinity`: the hash of the run's traced key (app/traced.py), None when it keeps none:
        the worker that answered the same key last is preferred when it is idle."""
        assert self._queue is not None, "start the pool first"
        if self._queued >= self.settings.queue_limit + self._idle():
            raise Saturated
        loop = asyncio.get_running_loop()
        job_id = next(self._ids)
        wait = self.settings.queue_wait_seconds
        # A queue that does not move (workers failing to start) answers 503, never hangs.
        timer = loop.call_later(wait, self._unclaimed, job_id)
        waiting = self._waiting[job_id] = Waiting(loop.create_future(), timer, request, affinity)
        waiting.expiry_ns = time.monotonic_ns() + int(wait * 1e9)
        self._queued += 1
        self._fairness.add(job_id, client)
        self._dispatch()
        return await waiting.future

    def _idle(self) -> int:
        return len(self._workers) - self.busy

    def _dispatch(self) -> None:
        """Hand the workers' socket a run for each idle worker, in the order the fairness rules
        choose, and a few more: a worker that finishes finds its next run there, instead of
        sleeping until this process hands it one (on a busy machine that round trip halved the
        runs a second of short programs). Those ahead are only first runs of clients with
        nothing going (fairness.py), so none can queue a burst in front of the others."""
        if self._queue is None:  # closed
            return
        ahead = _AHEAD_PER_WORKER * len(self._workers)
        while (free := self._free()) > -ahead:
            job_id = self._fairness.next(free)
            if job_id is None:
                return
            waiting = self._waiting[job_id]
            job = jobs.Job(job_id, waiting.expiry_ns, waiting.request)
            worker = self._preferred(waiting.affinity)
            if worker is None or worker.own is None:
                self._share(job)
            else:
                worker.assigned = job_id
                self._assigned[job_id] = worker
                worker.own.put(job)

    def _free(self) -> int:
        """Idle workers with no run sent to them, less the runs on the workers' socket."""
        unasked = sum(1 for w in self._workers if w.running is None and w.assigned is None)
        return unasked - len(self._handed)

    def _share(self, job: jobs.Job) -> None:
        assert self._queue is not None
        self._handed.add(job.id)
        self._queue.put(job)
        self._waiting[job.id].request = b""

    def _preferred(self, affinity: int | None) -> Worker | None:
        """The worker that answered the run's traced key last, if it is idle with nothing sent
        to it. Only while no run waits on the workers' socket: a worker counted idle then may
        be taking one of those, and the run sent to it would wait behind that run."""
        worker = self._affinity.get(affinity)
        if worker is None or self._handed or worker not in self._workers:
            return None
        return worker if worker.running is None and worker.assigned is None else None

    def _unclaimed(self, job_id: int) -> None:
        """No worker took the job in time; one that takes it later skips it (its expiry)."""
        waiting = self._waiting.pop(job_id, None)
        if waiting is None:
            return
        self._queued -= 1
        slow = False
        owner = self._assigned.pop(job_id, None)
        if owner is not None:  # it skips the job when it reads it (its expiry)
            owner.assigned = None
        if job_id in self._handed or owner is not None:
            self._handed.discard(job_id)
            self._fairness.ended(job_id, ran_out_of_time=False)
        else:
            slow = self._fairness.drop(job_id)
        _settle(waiting.future, error=self._refusal(slow))
        self._dispatch()

    def _refusal(self, slow: bool) -> Saturated:
        if slow:
            return SlowClient(math.ceil(self.settings.max_run_seconds))
        return Saturated()

    def _report(self, worker: Worker, report: Report) -> None:
        if report.kind == "started":
            self._started(worker, report.job_id)
        elif report.kind == "answer":
            if report.job_id != worker.running:
                self._lost(worker, EOFError(f"the worker answered job {report.job_id} unasked"))
                return
            self._finished(worker)
            self._fairness.ended(report.job_id, report.out_of_time)
            waiting = self._waiting.pop(report.job_id, None)
            if waiting is not None and report.status == 200:  # it keeps the trace, if whole
                self._affinity.ran(waiting.affinity, worker)
            if waiting is not None:  # else: refused already, or its client is gone
                answer = Answer(report.status, report.body, report.complete, report.out_of_time)
                _settle(waiting.future, answer)
        elif not worker.ready.done():  # "ready": from now on it takes jobs
            self._workers.add(worker)
            worker.ready.set_result(None)
        self._dispatch()

    def _started(self, worker: Worker, job_id: int) -> None:
        waiting = self._waiting.get(job_id)
        owner = self._assigned.get(job_id, worker)
        if (
            worker.running is not None
            or (waiting is not None and waiting.started)
            or (owner is not worker)
        ):
            # one run at a time, each job to one worker: anything else is a broken (or
            # subverted) worker, which must not answer for another worker's request
            self._lost(worker, EOFError(f"the worker started job {job_id} out of turn"))
            return
        worker.running = job_id
        self._handed.discard(job_id)
        if self._assigned.pop(job_id, None) is not None:
            worker.assigned = None
        if self._fairness.handed_slow(job_id):
            yield_cpu(worker.pid)
        # still computing past this: only killing the worker stops it
        worker.deadline = asyncio.get_running_loop().call_later(
            self._run_timeout, self._overran, worker
        )
        if waiting is not None:
            waiting.started = True
            waiting.request = b""
            waiting.timer.cancel()
            self._queued -= 1

    def _finished(self, worker: Worker) -> None:
        worker.running = None
        if worker.deadline is not None:
            worker.deadline.cancel()
            worker.deadline = None

    def _overran(self, worker: Worker) -> None:
        running = worker.running
        if running is not None:
            self._fairness.ended(running, ran_out_of_time=True)
            waiting = self._waiting.pop(running, None)
            if waiting is not None:
                _settle(waiting.future, wall_time_answer(self.settings.max_run_seconds))
        self._replace(worker)
        self._dispatch()  # the fairness rules may let a waiting run go now

    def _lost(self, worker: Worker, reason: BaseException) -> None:
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
        self._fairness.ended(running, ran_out_of_time=False)
        waiting = self._waiting.pop(running, None)
        if waiting is not None:  # answered, never run again (see the module's docstring)
            _settle(waiting.future, error=WorkerLost())
        self._dispatch()

    def _replace(self, worker: Worker) -> None:
        self._workers.discard(worker)
        self._affinity.forget(worker)
        self.replaced += 1
        worker.stop()
        self._unsend(worker)
        if not self._closed:
            self._replace_later()

    def _unsend(self, worker: Worker) -> None:
        """A job sent on a stopped worker's own queue was never started (its STARTED report
        would have come before the end of its socket): it goes on the workers' socket."""
        job_id, worker.assigned = worker.assigned, None
        if job_id is None:
            return
        del self._assigned[job_id]
        waiting = self._waiting.get(job_id)  # there: _unclaimed takes it back from the worker
        if waiting is not None and self._queue is not None:
            self._share(jobs.Job(job_id, waiting.expiry_ns, waiting.request))

    def _replace_later(self) -> None:
        task = asyncio.get_running_loop().create_task(self._add_worker())
        self._starting.add(task)
        task.add_done_callback(self._starting.discard)

    async def _add_worker(self) -> None:
        directory = tempfile.mkdtemp(prefix="playground-worker-")
        parent, child = socket.socketpair()
        own, its_own = jobs.pair()
        config = WorkerConfig(
            memory_mb=self.settings.worker_memory_mb,
            directory=directory,
            max_runs=self.settings.worker_max_runs,
            settings=self.settings.model_dump(),
        )
        process = self._context.Process(
            target=main, args=(child, self._workers_end, its_own, config), daemon=True
        )
        process.start()
        child.close()
        its_own.close()
        worker = Worker(process, directory, asyncio.get_running_loop().create_future())
        worker.own = jobs.JobQueue(own)
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


def yield_cpu(pid: int | None) -> None:
    """Run a worker at the lowest CPU priority: the kernel gives a nice-19 thread a core only
    when nothing else wants it, so a slow client's run cannot slow the others' runs, the web
    process or the machine (the worker puts its priority back, or retires, after the run)."""
    if pid is not None:
        with contextlib.suppress(OSError):  # gone already, or not ours to change
            os.setpriority(os.PRIO_PROCESS, pid, YIELDING_NICE)


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
