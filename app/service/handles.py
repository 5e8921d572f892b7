"""What the pool (pool.py) holds for each worker process and for each request it has not
answered yet."""

from __future__ import annotations

import asyncio
import contextlib
from multiprocessing.process import BaseProcess

from app.service import jobs
from app.service.channel import Channel
from app.service.worker import Answer, remove_directory


class Worker:
    """A worker process as the pool sees it: what it runs, its sockets, its time limit."""

    def __init__(self, process: BaseProcess, directory: str, ready: asyncio.Future[None]) -> None:
        self.process = process
        self.pid = process.pid
        self.exitcode: int | None = None  # known once stopped
        self.directory = directory
        self.ready = ready  # set when the worker says READY, failed when it dies before
        self.channel: Channel | None = None
        self.running: int | None = None  # the job it has started and not answered
        self.deadline: asyncio.TimerHandle | None = None
        self.own: jobs.JobQueue | None = None  # its own queue: runs it traced already
        self.assigned: int | None = None  # the job sent on its own queue, not started yet

    def stop(self) -> None:
        if self.deadline is not None:
            self.deadline.cancel()
        if self.channel is not None:
            self.channel.close()
            self.channel = None  # it calls back into the pool with this worker: no cycle left
        if self.own is not None:
            self.own.close()
            self.own = None
        if self.process.is_alive():
            self.process.kill()
        self.process.join(timeout=5)
        self.exitcode = self.process.exitcode
        # The process object holds the pipes it was started through until it is collected;
        # a pool that replaces workers for months must give them back now.
        with contextlib.suppress(ValueError):  # still running after the join's time-out
            self.process.close()
        remove_directory(self.directory)


class Waiting:
    """A request, from its arrival until its answer (or its refusal) is settled."""

    __slots__ = ("future", "timer", "started", "request", "expiry_ns", "affinity")

    def __init__(
        self,
        future: asyncio.Future[Answer],
        timer: asyncio.TimerHandle,
        request: bytes,
        affinity: int | None,
    ) -> None:
        self.future = future
        self.timer = timer  # the queue wait: cancelled when a worker starts it
        self.started = False
        self.request = request  # until it is handed to the workers' socket, or started
        self.expiry_ns = 0
        self.affinity = affinity  # its traced key's hash (affinity.py), None: none
