"""The answer cache that replicas share, in Redis: an answer computed by one instance is served by
every other. The same shape as `cache.AnswerCache` (`get`, `put`, `hits`, `misses`), awaited.

Keys are a hash of the request under the app's and torch's versions, so replicas of two releases
(a rolling update) never serve each other's answers. Every entry has a TTL; Redis's own
`maxmemory` with `allkeys-lru` bounds the whole (deploy/ configures it). When Redis is down the
cache misses and stores nothing (`SharedStore.call`).
"""

from __future__ import annotations

import hashlib

from app import __version__
from app.pipeline import torch_version
from app.service.shared_store import SharedStore
from app.service.worker import Answer


class SharedAnswerCache:
    def __init__(self, store: SharedStore, ttl_seconds: int, max_bytes: int) -> None:
        self.store = store
        self.ttl_seconds = ttl_seconds
        self.max_bytes = max_bytes
        self.namespace = store.key("answer", __version__, torch_version())
        self.hits = 0
        self.misses = 0

    def redis_key(self, key: str) -> str:
        return f"{self.namespace}:{hashlib.sha256(key.encode()).hexdigest()}"

    async def get(self, key: str) -> Answer | None:
        stored = await self.store.call(lambda redis: redis.get(self.redis_key(key)), None)
        answer = _decode(stored) if isinstance(stored, bytes) else None
        if answer is None:
            self.misses += 1
        else:
            self.hits += 1
        return answer

    async def put(self, key: str, answer: Answer) -> None:
        if self.ttl_seconds <= 0 or len(answer.body) > self.max_bytes:
            return
        value = _encode(answer)
        await self.store.call(
            lambda redis: redis.set(self.redis_key(key), value, ex=self.ttl_seconds), None
        )


def _encode(answer: Answer) -> bytes:
    return b"%d\n%s" % (answer.status, answer.body)


def _decode(stored: bytes) -> Answer | None:
    """None for anything not written by `_encode` (another program's key, a truncated value)."""
    head, newline, body = stored.partition(b"\n")
    if not newline or not head.isdigit():
        return None
    return Answer(int(head), body, complete=True)  # only complete answers are shared
