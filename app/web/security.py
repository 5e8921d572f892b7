"""Security headers on every response (a plain ASGI middleware, installed by app/web/setup.py).

* `X-Content-Type-Options: nosniff` everywhere.
* A Content-Security-Policy without inline scripts (`script-src 'self'`: all JavaScript is in
  static files, no inline handlers) and nothing from another host.
* Framing: only `/embed` may be framed, by any site (`frame-ancestors *`); everything else says
  `frame-ancestors 'none'` and `X-Frame-Options: DENY`.
* FastAPI's own /docs and /redoc load Swagger/ReDoc from a CDN with an inline script, so they get
  only the framing rules, not the script policy.
"""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

POLICY = (
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-src 'self'",
)
EMBED_PATHS = frozenset({"/embed"})
DOCS_PATHS = ("/docs", "/redoc")


def headers_for(path: str) -> dict[str, str]:
    headers = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "same-origin"}
    if path in EMBED_PATHS:
        headers["Content-Security-Policy"] = "; ".join((*POLICY, "frame-ancestors *"))
        return headers
    headers["X-Frame-Options"] = "DENY"
    if path.startswith(DOCS_PATHS):
        headers["Content-Security-Policy"] = "frame-ancestors 'none'"
    else:
        headers["Content-Security-Policy"] = "; ".join((*POLICY, "frame-ancestors 'none'"))
    return headers


class SecurityHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extra = headers_for(scope["path"])

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in extra.items():
                    headers[name] = value
            await send(message)

        await self.app(scope, receive, send_with_headers)
