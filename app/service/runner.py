"""What the API and the pages call to run a program: the cache, then a worker.

With `workers = 0` the pipeline runs in the web process instead (one run at a time, in a
thread): for development and the command line, not for serving a classroom.
"""

from __future__ import annotations

import json
from dataclasses import fields as dataclass_fields
from typing import Any

from anyio import to_thread

from app.pipeline import RunRequest
from app.service.cache import AnswerCache
from app.service.pool import WorkerPool
from app.service.worker import Answer, answer
from app.settings import Settings

_FIELDS = dataclass_fields(RunRequest)


class Runner:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.cache = AnswerCache(settings.cache_entries, settings.cache_megabytes * 2**20)
        self.pool = WorkerPool(settings) if settings.workers > 0 else None

    async def start(self) -> None:
        if self.pool is not None:
            await self.pool.start()

    async def close(self) -> None:
        if self.pool is not None:
            await self.pool.close()

    async def run(self, request: RunRequest) -> tuple[int, bytes, bool]:
        """(status, JSON body, answered from the cache): 200 with the run, or 422 with a
        refusal. May raise Saturated or WorkerLost (the API turns them into 503)."""
        # not dataclasses.asdict: it deep-copies the inputs, and RunRequest is frozen already
        fields = {field.name: getattr(request, field.name) for field in _FIELDS}
        # ASCII JSON: also the message to the worker, and a lone surrogate survives it
        key = json.dumps(fields, sort_keys=True)
        cached = self.cache.get(key)
        if cached is not None:
            return (*cached, True)
        if self.pool is not None:
            result = await self.pool.run(key.encode("ascii"))
        else:
            result = await to_thread.run_sync(answer, request, self.settings)
        if _deterministic(result):
            self.cache.put(key, result)
        return (*result, False)


def _deterministic(result: Answer) -> bool:
    """Wall-time and memory refusals depend on the machine's load, not only on the request."""
    status, body = result
    if status == 200:
        return True
    problem: Any = json.loads(body)
    return status == 422 and problem.get("limit") not in ("max_run_seconds", "worker_memory_mb")
