"""Request guards in front of every route, as one ASGI middleware:

- bodies over `max_body_bytes` → 413 (checked on Content-Length and while reading);
- a client that has not sent its whole body within `body_timeout_seconds` → 408;
- per-client rate limit on every route that runs a program (any POST, and the pages `GET /` and
  `GET /embed`, and `GET /api/v1/picture.*`, which run the program of their link) → 429 with
  Retry-After;
- a JSON body nested deeper than `max_json_depth` → 422 `limit`, checked on the bytes before any
  route parses them (json.loads recurses per level: 2,000 levels were a RecursionError).

The client is the connection's address unless a proxy named in `trusted_proxies` forwarded the
request (`app/service/ratelimit.py:client_key`, the one place that decides); the key is left in
`scope["state"]["client"]` for the routes, which hand it to the runner.

The body is read here, bounded, and replayed to the app, so no route ever waits on a slow client.
"""

from __future__ import annotations

import asyncio

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app import jsonsafe, problems
from app.api.errors import reply
from app.problems import Problem
from app.service.ratelimit import UNIX_PEER, RateLimiter, client_key, trusted_proxies
from app.service.shared_limits import limits_for
from app.service.shared_store import SharedStore
from app.settings import Settings

_WITH_BODY = frozenset({"POST", "PUT", "PATCH"})
RUN_PAGES = frozenset({"/", "/embed"})  # GET pages that run the program their link holds
RUN_PICTURES = "/api/v1/picture."  # and the picture of a link (app/web/picture.py)
_LATE = "the request body did not arrive in time"
_FORM_TYPES = (b"application/x-www-form-urlencoded", b"multipart/form-data")


class RequestGuards:
    def __init__(self, app: ASGIApp, settings: Settings, store: SharedStore | None = None) -> None:
        self.app = app
        self.settings = settings
        # in Redis when the replicas share one (PLAYGROUND_REDIS_URL), else in this process
        self.limiter = limits_for(store, settings.rate_limit_per_minute, settings.rate_limit_burst)
        self.trusted = trusted_proxies(settings.trusted_proxies)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        client = self.client(scope)
        scope.setdefault("state", {})["client"] = client
        with_body = scope["method"] in _WITH_BODY
        if not with_body and not _runs_page(scope):
            await self.app(scope, receive, send)
            return
        wait = await self.limiter.acquire(client)
        if wait > 0:
            retry = {"Retry-After": RateLimiter.retry_after(wait)}
            await _refuse(
                scope, send, problems.for_status(429, "too many requests: slow down", retry)
            )
            return
        if not with_body:
            await self.app(scope, receive, send)
            return
        declared = _content_length(scope)
        if declared is not None and declared > self.settings.max_body_bytes:
            await _refuse(scope, send, problems.for_status(413, self._too_large()))
            return
        body = await self._read_body(scope, receive, send)
        if body is None:
            return
        if not _is_form(scope):  # anything a route may parse as JSON
            try:
                jsonsafe.check_depth(body, self.settings.max_json_depth)
            except jsonsafe.JsonLimit as exc:
                await _refuse(scope, send, problems.limit(exc.limit, exc.value, str(exc)))
                return
        await self.app(scope, replay_body(body, receive), send)

    def client(self, scope: Scope) -> str:
        peer = scope.get("client") or (UNIX_PEER, 0)  # no address: a Unix socket
        forwarded = [
            value.decode("latin-1")
            for name, value in scope["headers"]
            if name == b"x-forwarded-for"
        ]
        return client_key(str(peer[0]), forwarded, self.trusted)

    def _too_large(self) -> str:
        return f"the request body is larger than {self.settings.max_body_bytes} bytes"

    async def _read_body(self, scope: Scope, receive: Receive, send: Send) -> bytes | None:
        chunks: list[bytes] = []
        size = 0
        deadline = asyncio.get_running_loop().time() + self.settings.body_timeout_seconds
        while True:
            try:
                # a deadline on this task, not wait_for's extra task per message
                async with asyncio.timeout_at(deadline):
                    message = await receive()
            except TimeoutError:
                await _refuse(scope, send, problems.for_status(408, _LATE))
                return None
            if message["type"] == "http.disconnect":
                return None
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.settings.max_body_bytes:
                await _refuse(scope, send, problems.for_status(413, self._too_large()))
                return None
            chunks.append(chunk)
            if not message.get("more_body", False):
                return b"".join(chunks)


def _runs_page(scope: Scope) -> bool:
    path = scope["path"]
    runs = path in RUN_PAGES or path.startswith(RUN_PICTURES)
    return scope["method"] in ("GET", "HEAD") and runs


def _is_form(scope: Scope) -> bool:
    for name, value in scope.get("headers", ()):
        if name == b"content-type":
            return value.split(b";", 1)[0].strip().lower() in _FORM_TYPES
    return False  # FastAPI reads a body without a content type as JSON


def _content_length(scope: Scope) -> int | None:
    """Content-Length as ASCII digits only (int() would take "²", "1_0" or " 12 ")."""
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            return int(value) if value.isdigit() and len(value) <= 18 else None
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


async def _refuse(scope: Scope, send: Send, problem: Problem) -> None:
    lang = problems.choose_language(_header(scope, b"accept-language"))
    status, body, headers = reply(problem, scope["path"], lang)
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", problems.MEDIA_TYPE.encode()),
                (b"content-length", str(len(body)).encode()),
                *((name.lower().encode(), value.encode()) for name, value in headers.items()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key == name:
            return str(value.decode("latin-1"))
    return None
