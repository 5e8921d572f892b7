"""The worker process: torch imported once, one run at a time, answers as JSON bytes.

It runs in its own process so that a run which exceeds its wall time or memory can be killed
with it, without touching the web process or any other request. It takes jobs from the queue
every worker shares (jobs.py) whenever it is free, and reports on its own socket (channel.py)
when it starts one and what the answer is.
"""

from __future__ import annotations

import gc
import json
import logging
import shutil
import socket
import sys
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

import orjson

from app.service import jobs
from app.service.channel import READY, encode_answer, encode_started

log = logging.getLogger("autograd_playground.worker")

# Answers travel as (status, JSON bytes); the web process forwards them untouched.
Answer = tuple[int, bytes]
OUT_OF_MEMORY = ("can't allocate memory", "not enough memory", "out of memory")


@dataclass(frozen=True, slots=True)
class WorkerConfig:
    memory_mb: int
    directory: str  # private working directory, made and removed by the pool
    max_runs: int  # then the worker exits, and the pool starts a fresh one
    settings: dict[str, Any]  # Settings fields, rebuilt in the child


def main(reports: socket.socket, queue: socket.socket, config: WorkerConfig) -> None:
    """Entry point of a worker (forked from the fork server, which imported torch once)."""
    from app.service import sandbox

    conn = Connection(reports.detach())  # the web side reads these frames (channel.py)

    for refused in sandbox.enter(config.memory_mb, config.directory):
        log.warning("worker sandbox: %s", refused)
    from app.pipeline import RunRequest, use_threads
    from app.render.layout import prefer_in_process
    from app.settings import Settings

    use_threads(1)
    prefer_in_process()
    # Everything imported so far lives as long as the worker: leave it out of the collector's
    # full passes (~150 ms each over torch's objects, a pause a request would wait through).
    gc.freeze()

    settings = Settings(**config.settings)
    inbox = jobs.Inbox(queue)
    conn.send_bytes(READY)
    runs = 0
    while runs < config.max_runs:
        try:
            job = inbox.take()
        except (OSError, KeyboardInterrupt):
            return
        if job is None:  # the web process closed the queue: shutting down
            return
        if job.expired:  # the web process answered 503 for it already
            continue
        conn.send_bytes(encode_started(job.id))
        try:
            fields = json.loads(job.request)
            fields["formats"] = tuple(fields["formats"])
            status, body = answer(RunRequest(**fields), settings)
        except Exception:  # a bug, not the program's fault: answer 500, keep serving
            log.exception("run failed: %r", job.request[:500])
            status, body = 500, _json({"detail": {"type": "internal", "message": "internal error"}})
        conn.send_bytes(encode_answer(job.id, status, body))
        runs += 1


def answer(request: Any, settings: Any) -> Answer:
    """Run one request: (200, the run) or (422, the refusal), as JSON bytes."""
    from app.lang.errors import ProgramError
    from app.pipeline import execute, payload

    try:
        outcome = execute(request, settings)
        if _out_of_memory(outcome.run.error):
            return _memory_answer(settings)
        return 200, _json(payload(outcome))
    except ProgramError as exc:
        return 422, _json({"detail": exc.to_dict(request.lang)})
    except MemoryError:
        return _memory_answer(settings)
    except RuntimeError as exc:  # an allocation past the cap outside a statement (snapshots)
        if any(text in str(exc) for text in OUT_OF_MEMORY):
            return _memory_answer(settings)
        raise


def _out_of_memory(error: Any) -> bool:
    """torch reports a failed allocation as a RuntimeError: here it means the worker's cap."""
    return error is not None and any(text in error.message for text in OUT_OF_MEMORY)


def _memory_answer(settings: Any) -> Answer:
    return 422, _json({"detail": _memory_limit(settings)})


def _memory_limit(settings: Any) -> dict[str, Any]:
    value = settings.worker_memory_mb
    return {
        "type": "limit",
        "limit": "worker_memory_mb",
        "value": value,
        "message": f"the run needed more memory than a worker has (worker_memory_mb = {value})",
        "line": None,
        "col": None,
    }


def _json(content: Any) -> bytes:
    """The answer as JSON. orjson writes UTF-8 about ten times faster than the json module (for
    an answer with a picture, ~0.13 ms of a ~2.5 ms run); what it refuses (a lone surrogate in
    echoed or printed text, an integer past 64 bits) goes through the json module, which
    escapes it. Values are made JSON-safe before this (NaN and infinities as strings)."""
    try:
        return orjson.dumps(content)
    except orjson.JSONEncodeError:
        return json.dumps(content, allow_nan=False, separators=(",", ":")).encode()


def remove_directory(path: str) -> None:
    """The parent cleans a dead worker's private directory (the worker cannot)."""
    shutil.rmtree(path, ignore_errors=True)


if __name__ == "__main__":  # pragma: no cover - started by multiprocessing, not by hand
    sys.exit("start workers through app.service.pool")
