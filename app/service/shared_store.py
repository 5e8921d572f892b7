"""Redis, shared by every replica, reached so that it can never fail a request.

Each call to Redis goes through `SharedStore.call` with a fallback: when Redis is down, slow or
refuses, the caller gets the fallback at once (no answer from the shared cache; the rate limit of
this process alone), the outage is logged once, and Redis is tried again only after
`RETRY_SECONDS` — so a dead Redis costs one short time-out a few seconds, not one per request.
`/healthz` reports the state (`ping`).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

import redis.asyncio as aioredis
from redis.exceptions import RedisError

log = logging.getLogger("autograd_playground.shared_store")
T = TypeVar("T")

TIMEOUT_SECONDS = 0.25  # connect and reply, on a LAN: a healthy Redis answers in well under 1 ms
RETRY_SECONDS = 2.0  # after a failure, requests skip Redis this long


class SharedStore:
    def __init__(self, url: str, prefix: str = "playground") -> None:
        self.url = url
        self.prefix = prefix
        self.client = aioredis.Redis.from_url(
            url,
            socket_timeout=TIMEOUT_SECONDS,
            socket_connect_timeout=TIMEOUT_SECONDS,
            retry_on_timeout=False,
            health_check_interval=0,
        )
        self.up = True
        self.failures = 0
        self._retry_at = 0.0

    def key(self, *parts: str) -> str:
        return ":".join((self.prefix, *parts))

    async def call(self, operation: Callable[[aioredis.Redis], Awaitable[T]], fallback: T) -> T:
        """`operation(client)`, or `fallback` when Redis is down (never raises Redis's errors)."""
        if not self.up and time.monotonic() < self._retry_at:
            return fallback
        try:
            result = await operation(self.client)
        except (RedisError, OSError) as exc:
            self._failed(exc)
            return fallback
        if not self.up:
            log.warning("redis at %s is back: shared cache and rate limits resume", self._where())
            self.up = True
        return result

    async def ping(self) -> str:
        """'ok' or 'down', for /healthz (tries Redis again only when a retry is due)."""
        await self.call(lambda client: client.ping(), None)
        return "ok" if self.up else "down"

    async def close(self) -> None:
        await self.client.aclose()

    def _failed(self, exc: BaseException) -> None:
        self.failures += 1
        self._retry_at = time.monotonic() + RETRY_SECONDS
        if self.up:  # once per outage, not once per request
            log.error(
                "redis at %s is unreachable (%s): serving without the shared cache, rate limits "
                "per process, until it answers again",
                self._where(),
                type(exc).__name__,
            )
        self.up = False

    def _where(self) -> str:
        """The URL without a password."""
        kwargs = self.client.connection_pool.connection_kwargs
        if "path" in kwargs:
            return f"unix:{kwargs['path']}"
        return f"{kwargs.get('host')}:{kwargs.get('port')}/{kwargs.get('db', 0)}"
