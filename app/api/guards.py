"""Request guards in front of every route, as one ASGI middleware:

- bodies over `max_body_bytes` → 413 (checked on Content-Length and while reading);
- a client that has not sent its whole body within `body_timeout_seconds` → 408;
- per-client rate limit on requests that carry a body (the runs) → 429 with Retry-After.

The body is read here, bounded, and replayed to the app, so no route ever waits on a slow client.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.service.ratelimit import RateLimiter
from app.service.shared_limits import limits_for
from app.service.shared_store import SharedStore
from app.settings import Settings

_WITH_BODY = frozenset({"POST", "PUT", "PATCH"})


class RequestGuards:
    def __init__(self, app: ASGIApp, settings: Settings, store: SharedStore | None = None) -> None:
        self.app = app
        self.settings = settings
        # in Redis when the replicas share one (PLAYGROUND_REDIS_URL), else in this process
        self.limiter = limits_for(store, settings.rate_limit_per_minute, settings.rate_limit_burst)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in _WITH_BODY:
            await self.app(scope, receive, send)
            return
        client = scope.get("client") or ("unknown", 0)
        wait = await self.limiter.acquire(str(client[0]))
        if wait > 0:
            headers = [(b"retry-after", RateLimiter.retry_after(wait).encode())]
            await _refuse(send, 429, "too many requests: slow down", headers)
            return
        declared = _content_length(scope)
        if declared is not None and declared > self.settings.max_body_bytes:
            await _refuse(send, 413, self._too_large())
            return
        body = await self._read_body(receive, send)
        if body is None:
            return
        await self.app(scope, replay_body(body, receive), send)

    def _too_large(self) -> str:
        return f"the request body is larger than {self.settings.max_body_bytes} bytes"

    async def _read_body(self, receive: Receive, send: Send) -> bytes | None:
        chunks: list[bytes] = []
        size = 0
        deadline = asyncio.get_running_loop().time() + self.settings.body_timeout_seconds
        while True:
            try:
                # a deadline on this task, not wait_for's extra task per message
                async with asyncio.timeout_at(deadline):
                    message = await receive()
            except TimeoutError:
                await _refuse(send, 408, "the request body did not arrive in time")
                return None
            if message["type"] == "http.disconnect":
                return None
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.settings.max_body_bytes:
                await _refuse(send, 413, self._too_large())
                return None
            chunks.append(chunk)
            if not message.get("more_body", False):
                return b"".join(chunks)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


def replay_body(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()  # after the body: wait for the disconnect, as Starlette expects

    return replay


async def _refuse(
    send: Send, status: int, message: str, headers: list[tuple[bytes, bytes]] | None = None
) -> None:
    body = json.dumps({"detail": {"type": "request", "message": message}}).encode()
    extra: list[Any] = headers or []
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                *extra,
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
