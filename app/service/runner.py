"""What the API and the pages call to run a program: the cache, then a worker.

With `workers = 0` the pipeline runs in the web process instead (one run at a time, in a
thread): for development and the command line, not for serving a classroom.
"""

from __future__ import annotations

import json
from dataclasses import fields as dataclass_fields

import orjson
from anyio import to_thread

from app.pipeline import RunRequest
from app.service.cache import AnswerCache, cacheable
from app.service.deployment import Deployment
from app.service.pool import WorkerPool
from app.service.shared_store import SharedStore
from app.service.worker import answer
from app.settings import Settings
from app.traced import traced_key

_FIELDS = dataclass_fields(RunRequest)


def request_key(fields: dict[str, object]) -> str:
    """The request as sorted JSON: the answer cache's key and the message to the worker. orjson
    writes it several times faster than the json module, but refuses a lone surrogate, which
    the json module escapes (and the worker's json.loads restores): such a request takes that
    path, always the same one for the same request."""
    try:
        return orjson.dumps(fields, option=orjson.OPT_SORT_KEYS).decode()
    except TypeError:
        return json.dumps(fields, sort_keys=True)


class Runner:
    def __init__(self, settings: Settings, store: SharedStore | None = None) -> None:
        self.settings = settings
        self.cache = AnswerCache(settings.cache_entries, settings.cache_megabytes * 2**20)
        self.deployment = Deployment(settings, store, self.cache)  # Redis, the GPU pool
        self.pool = WorkerPool(settings) if settings.workers > 0 else None

    async def start(self) -> None:
        if self.pool is not None:
            await self.pool.start()

    async def close(self) -> None:
        await self.deployment.close()
        if self.pool is not None:
            await self.pool.close()

    async def run(self, request: RunRequest, client: str | None = None) -> tuple[int, bytes, bool]:
        """(status, JSON body, answered from the cache): 200 with the run, or 422 with a
        refusal. `client`: who asks (their address, as the rate limit keys it) for the pool's
        fairness rules; None when unknown. May raise Saturated or WorkerLost (the API turns
        them into 503; SlowClient, a Saturated, into that client's 429); none is ever cached,
        and a lost run is never run again."""
        # not dataclasses.asdict: it deep-copies the inputs, and RunRequest is frozen already
        fields = {field.name: getattr(request, field.name) for field in _FIELDS}
        key = request_key(fields)
        cached = self.cache.get(key)
        if cached is not None:
            return cached.status, cached.body, True
        elsewhere = await self.deployment.lookup(key, request.device)
        if elsewhere is not None:
            return elsewhere
        if self.pool is not None:
            affinity = self._affinity(request)
            result = await self.pool.run(key.encode(), client, affinity)
        else:
            result = await to_thread.run_sync(answer, request, self.settings)
        self.cache.put(key, result)  # if it may be kept: see cacheable()
        if cacheable(result):
            await self.deployment.keep(key, result)
        return result.status, result.body, False

    def _affinity(self, request: RunRequest) -> int | None:
        """The run's traced key (the worker's own, app/traced.py), hashed: a request that
        differs from an earlier one only in its picture goes to the worker that keeps its
        trace, when that one is free. None when the run keeps no trace (no graph asked for)."""
        if not request.formats:
            return None
        key = traced_key(request, request.device, self.settings)
        return None if key is None else hash(key)
