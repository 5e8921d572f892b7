"""A pool of worker processes in front of the pipeline, with a bounded queue.

- Each request takes an idle worker; when none is idle it waits, and when `queue_limit` requests
  already wait it is refused at once (`Saturated` → 503 with Retry-After).
- A run past its wall time (the engine's own deadline, plus a grace period) is killed with its
  worker; the request gets a 422 `limit` answer and a fresh worker takes the dead one's place.
- A worker that dies for any other reason (killed from outside, crashed) costs only its own
  request (`WorkerLost` → 503), and is replaced the same way.
- Workers are recycled after `worker_max_runs` runs, so slow leaks cannot build up.

The web process talks to each worker over a socket pair with an asyncio protocol (channel.py):
no thread per request, and a slow run never blocks another request's answer.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import multiprocessing
import socket
import tempfile
from multiprocessing.process import BaseProcess

from app.service.channel import READY, STOP, Channel, decode_answer
from app.service.worker import Answer, WorkerConfig, main, remove_directory
from app.settings import Settings

log = logging.getLogger("autograd_playground.pool")
_GRACE_SECONDS = 2.0
_START_SECONDS = 120.0
_RESTART_SECONDS = 1.0


class Saturated(Exception):
    """Every worker is busy and the queue is full."""


class WorkerLost(Exception):
    """The worker running this request died (killed from outside, or crashed)."""


class _Worker:
    def __init__(self, process: BaseProcess, channel: Channel, directory: str) -> None:
        self.process = process
        self.channel = channel
        self.directory = directory
        self.runs = 0

    def stop(self) -> None:
        self.channel.close()
        if self.process.is_alive():
            self.process.kill()
        self.process.join(timeout=5)
        remove_directory(self.directory)


class WorkerPool:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.size = max(1, settings.workers)
        # A fork server that has imported torch and the pipeline once: each new worker is a
        # fork of it (copy-on-write, ready in milliseconds), and never of the web process.
        self._context = multiprocessing.get_context("forkserver")
        self._context.set_forkserver_preload(["app.service.worker", "app.pipeline"])
        self._idle: asyncio.Queue[_Worker] = asyncio.Queue()
        self._workers: set[_Worker] = set()
        self._waiting = 0
        self._closed = False
        self._starting: set[asyncio.Task[None]] = set()

    async def start(self) -> None:
        await asyncio.gather(*(self._add_worker() for _ in range(self.size)))

    async def close(self) -> None:
        self._closed = True
        for task in self._starting:
            task.cancel()
        for worker in list(self._workers):
            with contextlib.suppress(OSError, EOFError):
                worker.channel.send(STOP)
            worker.stop()
        self._workers.clear()

    @property
    def busy(self) -> int:
        return len(self._workers) - self._idle.qsize()

    async def run(self, request: bytes) -> Answer:
        """`request`: the run's fields as JSON (RunRequest's, as the cache keys them)."""
        if self._idle.empty() and self._waiting >= self.settings.queue_limit:
            raise Saturated
        self._waiting += 1
        try:
            # A queue that does not move (workers failing to start) answers 503, never hangs.
            worker = await asyncio.wait_for(self._idle.get(), self.settings.queue_wait_seconds)
        except TimeoutError:
            raise Saturated from None
        finally:
            self._waiting -= 1
        timeout = self.settings.max_run_seconds + self.settings.layout_seconds + _GRACE_SECONDS
        try:
            worker.channel.send(request)
            answer = decode_answer(await worker.channel.receive(timeout))
        except TimeoutError:
            self._replace(worker)  # still computing: only killing it stops it
            return 422, _wall_time_answer(self.settings.max_run_seconds)
        except (EOFError, OSError) as exc:
            worker.process.join(timeout=1)
            log.error("worker %s lost mid-run (exit code %s): %r", worker.process.pid,
                      worker.process.exitcode, exc)  # fmt: skip
            self._replace(worker)
            raise WorkerLost from exc
        except BaseException:  # cancelled (client gone): the worker's state is unknown
            self._replace(worker)
            raise
        worker.runs += 1
        if worker.runs >= self.settings.worker_max_runs:
            self._replace(worker)
        else:
            self._idle.put_nowait(worker)
        return answer

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
            settings=self.settings.model_dump(),
        )
        process = self._context.Process(target=main, args=(child, config), daemon=True)
        process.start()
        child.close()
        worker = _Worker(process, await Channel.attach(parent), directory)
        try:
            ready = await worker.channel.receive(_START_SECONDS)
        except (TimeoutError, EOFError, OSError):
            ready = None
        if ready != READY:
            worker.stop()
            log.error("a worker failed to start; trying again in %s s", _RESTART_SECONDS)
            await asyncio.sleep(_RESTART_SECONDS)
            if not self._closed:
                self._replace_later()
            return
        self._workers.add(worker)
        self._idle.put_nowait(worker)


def _wall_time_answer(seconds: float) -> bytes:
    detail = {
        "type": "limit",
        "limit": "max_run_seconds",
        "value": seconds,
        "message": f"the run took too long and was stopped (limit max_run_seconds = {seconds})",
        "line": None,
        "col": None,
    }
    return json.dumps({"detail": detail}).encode()
