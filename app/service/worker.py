"""The worker process: torch imported once, one run at a time, answers as JSON bytes.

It runs in its own process so that a run which exceeds its wall time or memory can be killed
with it, without touching the web process or any other request. It takes jobs from the queue
every worker shares (jobs.py) whenever it is free, and first from its own (a program drawn
again, sent to the worker that keeps its trace), and reports on its own socket (channel.py)
when it starts one and what the answer is.
"""

from __future__ import annotations

import gc
import json
import logging
import os
import shutil
import socket
import sys
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any, NamedTuple

import orjson

from app import problems
from app.problems import Problem
from app.service import jobs
from app.service.channel import READY, encode_answer, encode_started

log = logging.getLogger("autograd_playground.worker")

# A kept run this large is frozen out of the collector's passes (smaller ones cost them little,
# and a collection after every small run would cost the classroom's many small runs).
_FROZEN_BYTES = 1 << 20
OUT_OF_MEMORY = ("can't allocate memory", "not enough memory", "out of memory")
# Errors of a statement that say the worker ran short, not what the program means.
RESOURCE_ERRORS = frozenset({"MemoryError", "RecursionError"})
YIELDING_NICE = 19  # a slow client's run: the kernel's lowest priority (pool.yield_cpu)


class Answer(NamedTuple):
    """What a run answers; the web process forwards the JSON body untouched."""

    status: int
    body: bytes
    # A whole answer that depends on the request alone (a 200, nothing cut short by the
    # machine): the only kind the answer cache may keep.
    complete: bool = False
    out_of_time: bool = False  # the run hit the wall-time limit (its client is then slow)


class MemoryAnswer(Answer):
    """The refusal of a run that ran out of the worker's memory. The worker answers it and then
    exits, to be replaced like one past `max_runs`: an allocation that failed half-way (torch's,
    or Python's building a huge list) can leave the heap too fragmented for the next run."""


@dataclass(frozen=True, slots=True)
class WorkerConfig:
    memory_mb: int
    directory: str  # private working directory, made and removed by the pool
    max_runs: int  # then the worker exits, and the pool starts a fresh one
    settings: dict[str, Any]  # Settings fields, rebuilt in the child


def main(
    reports: socket.socket, queue: socket.socket, own: socket.socket, config: WorkerConfig
) -> None:
    """Entry point of a worker (forked from the fork server, which imported torch once).
    `queue`: the runs every worker takes from; `own`: those the pool sends this one (jobs.py)."""
    from app.service import sandbox

    conn = Connection(reports.detach())  # the web side reads these frames (channel.py)

    for refused in sandbox.enter(config.memory_mb, config.directory):
        log.warning("worker sandbox: %s", refused)
    from app.pipeline import RunRequest, traces_kept, use_threads
    from app.render.layout import prefer_in_process
    from app.settings import Settings

    use_threads(1)
    prefer_in_process()
    # Everything imported so far lives as long as the worker: leave it out of the collector's
    # full passes (~150 ms each over torch's objects, a pause a request would wait through).
    gc.freeze()

    settings = Settings(**config.settings)
    priority = os.getpriority(os.PRIO_PROCESS, 0)  # the pool lowers it for a slow client's run
    inbox = jobs.Inbox(queue, own)
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
        kept = traces_kept()
        try:
            fields = json.loads(job.request)
            fields["formats"] = tuple(fields["formats"])
            fields["unfold"] = tuple(fields.get("unfold", ()))
            fields["fold"] = tuple(fields.get("fold", ()))
            result = answer(RunRequest(**fields), settings)
        except Exception:  # a bug, not the program's fault: answer 500, keep serving
            log.exception("run failed: %r", job.request[:500])
            result = Answer(500, problems.encode(Problem("internal", "internal error")))
        conn.send_bytes(encode_answer(job.id, *result))
        runs += 1
        if traces_kept() - kept >= _FROZEN_BYTES:
            _out_of_collection()
        if not _priority_restored(priority) or isinstance(result, MemoryAnswer):
            return  # a fresh worker replaces this one


def _priority_restored(priority: int) -> bool:
    """Put back the CPU priority the pool lowered for a slow client's run (pool.yield_cpu);
    False when this process may not raise it again (no CAP_SYS_NICE)."""
    if os.getpriority(os.PRIO_PROCESS, 0) == priority:
        return True
    try:
        os.setpriority(os.PRIO_PROCESS, 0, priority)
    except PermissionError:
        return False
    return True


def _out_of_collection() -> None:
    """A run the pipeline keeps for drawing it again (app/traced.py) lives long, as start-up's
    objects do: it is left out of the collector's full passes too, which would otherwise walk
    every kept graph during each later run. Garbage is collected first, after the answer went,
    so only live objects are frozen; a kept run holds no reference cycle, so one dropped later
    is freed by its reference count all the same."""
    gc.collect()
    gc.freeze()


def answer(request: Any, settings: Any) -> Answer:
    """Run one request: (200, the run) or (422, the refusal), as JSON bytes. A run that took
    longer than `max_run_seconds` in all (one long call the engine could not interrupt, or
    its picture) is a wall-time refusal, however it ended."""
    from app.lang.errors import ProgramError
    from app.pipeline import execute, payload

    started = time.perf_counter()
    try:
        outcome = execute(request, settings)
        error = outcome.run.error
        if _out_of_memory(error):
            return _memory_answer(settings)
        if time.perf_counter() - started > settings.max_run_seconds:
            return wall_time_answer(settings.max_run_seconds)
        complete = outcome.complete and (error is None or error.type not in RESOURCE_ERRORS)
        return Answer(200, _answer_json(outcome, payload), complete)
    except ProgramError as exc:
        problem = problems.from_program_error(exc)
        if problem.kind == "limit" and problem.limit == "worker_memory_mb":
            return MemoryAnswer(422, problems.encode(problem))  # the engine caught it
        return Answer(422, problems.encode(problem), out_of_time=_timed_out(problem))
    except MemoryError:
        return _memory_answer(settings)
    except RuntimeError as exc:  # an allocation past the cap outside a statement (snapshots)
        if any(text in str(exc) for text in OUT_OF_MEMORY):
            return _memory_answer(settings)
        raise


def _timed_out(problem: Problem) -> bool:
    return problem.kind == "limit" and problem.limit == "max_run_seconds"


def _out_of_memory(error: Any) -> bool:
    """torch reports a failed allocation as a RuntimeError: here it means the worker's cap."""
    if error is None:
        return False
    return error.type == "MemoryError" or any(text in error.message for text in OUT_OF_MEMORY)


def _memory_answer(settings: Any) -> MemoryAnswer:
    value = settings.worker_memory_mb
    message = f"the run needed more memory than a worker has (worker_memory_mb = {value})"
    return MemoryAnswer(422, problems.encode(problems.limit("worker_memory_mb", value, message)))


def wall_time_answer(seconds: float) -> Answer:
    """The refusal of a run that ran out of wall time: the engine's own, or the pool's after it
    killed the worker."""
    message = f"the run took too long and was stopped (limit max_run_seconds = {seconds})"
    problem = problems.limit("max_run_seconds", seconds, message)
    return Answer(422, problems.encode(problem), out_of_time=True)


def _answer_json(outcome: Any, payload: Any) -> bytes:
    """A run's answer as JSON: orjson writes the graph's records itself (a large graph's
    conversion to dicts first cost several times the writing); what it refuses goes the
    json module's way, converted."""
    try:
        return orjson.dumps(payload(outcome, records=True))
    except orjson.JSONEncodeError:
        return _json(payload(outcome))


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
