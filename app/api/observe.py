"""One ASGI middleware that watches every request go by, outermost:

- a request id: the client's `X-Request-ID` when it is a plain token, else a new one; echoed in
  the response and carried by every log record of the request (app/service/logs.py);
- one access log record per request (route, status, duration), JSON when configured;
- the Prometheus counters (app/service/metrics.py): requests by route and status, 429s, and the
  stage times of each run computed (`X-Cache: miss`).

Routes are labelled by the matched route's template (`/embed`, not each URL), so a scan of random
URLs cannot make a metric series per URL (unmatched: `other`).
"""

from __future__ import annotations

import logging
import os
import re
import time

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.service.logs import REQUEST_ID
from app.service.metrics import CONTENT_TYPE, Metrics

log = logging.getLogger("autograd_playground.access")
_TOKEN = re.compile(r"[A-Za-z0-9._:-]{1,128}")
RUN_PATH = "/api/v1/run"
STATIC = "/static"


class Observe:
    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = _request_id(scope)
        token = REQUEST_ID.set(request_id)
        started = time.perf_counter()
        seen: dict[str, object] = {"status": 500, "miss": False}

        async def watch(message: Message) -> None:
            if message["type"] == "http.response.start":
                seen["status"] = message["status"]
                headers = [*message.get("headers", ()), (b"x-request-id", request_id.encode())]
                message["headers"] = headers
                seen["miss"] = any(tuple(pair) == (b"x-cache", b"miss") for pair in headers)
            elif message["type"] == "http.response.body" and _is_run(scope, seen):
                if not message.get("more_body", False):  # the run route sends one message
                    self.metrics.ran(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, receive, watch)
        finally:
            self._done(scope, int(str(seen["status"])), time.perf_counter() - started)
            REQUEST_ID.reset(token)

    def _done(self, scope: Scope, status: int, seconds: float) -> None:
        route = _route(scope)
        self.metrics.answered(route, status)
        fields = {"method": scope["method"], "route": route, "status": status,
                  "ms": round(seconds * 1000, 3)}  # fmt: skip
        log.info("%s %s %s", scope["method"], route, status, extra={"fields": fields})


def _route(scope: Scope) -> str:
    """The template of the route that answered (set by the router once it matched)."""
    matched = scope.get("route")
    if matched is not None:
        return str(getattr(matched, "path_format", getattr(matched, "path", "other")))
    if scope["path"] == RUN_PATH:  # answered by the fast path, before routing
        return RUN_PATH
    if scope["path"].startswith(STATIC):
        return STATIC
    return "other"


def _request_id(scope: Scope) -> str:
    for name, value in scope["headers"]:
        if name == b"x-request-id":
            text = value.decode("latin-1")
            if _TOKEN.fullmatch(text):
                return text
            break
    return os.urandom(16).hex()  # a uuid4's 32 hex digits, without building the UUID


def _is_run(scope: Scope, seen: dict[str, object]) -> bool:
    return scope["path"] == RUN_PATH and seen["status"] == 200 and bool(seen["miss"])


async def scrape(request: Request) -> Response:
    """GET /metrics: Prometheus's text format."""
    metrics: Metrics = request.app.state.metrics
    return Response(metrics.text(), media_type=CONTENT_TYPE)
