"""CORS for the JSON API only: other tools may call `/api/...` from any origin (never with
credentials); the HTML pages, the htmx routes and the static files send no CORS headers."""

from __future__ import annotations

from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Receive, Scope, Send

API_PREFIX = "/api/"


class ApiCors:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.cors = CORSMiddleware(
            app,
            allow_origins=["*"],
            allow_methods=["GET", "HEAD", "POST", "OPTIONS"],
            allow_headers=["content-type", "if-none-match"],
            # what a script on another origin may read besides the safelisted headers
            expose_headers=["Retry-After", "X-Cache", "ETag", "Content-Language", "Allow"],
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"].startswith(API_PREFIX):
            await self.cors(scope, receive, send)
        else:
            await self.app(scope, receive, send)
