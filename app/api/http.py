"""HTTP as clients expect it, for every GET (ASGI middleware, installed by app/main.py):

- `HEAD` is answered as the GET would be, without the body (FastAPI routes declare GET only);
- a 200 GET/HEAD gets an `ETag` (a hash of its body) unless it has one, and `If-None-Match`
  with that tag gets a 304 without the body;
- the JSON API's GETs say how long they may be kept (`Cache-Control`), unless the route did.

Compression is Starlette's GZipMiddleware (app/main.py); it runs outside this, so the ETag is
the hash of the uncompressed body.
"""

from __future__ import annotations

import hashlib

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CACHED_GETS = {
    "/api/v1/lessons": "public, max-age=300",
    "/api/v1/devices": "public, max-age=300",
    "/openapi.json": "public, max-age=300",
    "/healthz": "no-store",
}


class ConditionalGet:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD"):
            await self.app(scope, receive, send)
            return
        head = scope["method"] == "HEAD"
        inner = {**scope, "method": "GET"} if head else scope
        start: Message | None = None
        chunks: list[bytes] = []

        async def buffered(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
                return
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False) and start is not None:
                await _finish(scope, start, b"".join(chunks), head, send)

        await self.app(inner, receive, buffered)


async def _finish(scope: Scope, start: Message, body: bytes, head: bool, send: Send) -> None:
    headers = MutableHeaders(scope=start)
    if start["status"] == 200:
        if "etag" not in headers:
            headers["ETag"] = 'W/"' + hashlib.sha256(body).hexdigest()[:32] + '"'
        cache = CACHED_GETS.get(scope["path"])
        if cache is not None and "cache-control" not in headers:
            headers["Cache-Control"] = cache
        if _matches(Headers(scope=scope).get("if-none-match"), headers["etag"]):
            start = {**start, "status": 304}
            del headers["content-length"]
            body, head = b"", True
    await send(start)
    await send({"type": "http.response.body", "body": b"" if head else body})


def _matches(if_none_match: str | None, etag: str) -> bool:
    if not if_none_match:
        return False
    tags = [tag.strip().removeprefix("W/") for tag in if_none_match.split(",")]
    return "*" in tags or etag.removeprefix("W/") in tags
