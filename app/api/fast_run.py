"""POST /api/v1/run on a short path: the service's hot route, answered without FastAPI's
per-request machinery (route matching over every route, dependency solving, a Request object,
exception middleware). It calls the same function as the FastAPI route (app/api/run.py:answer),
so the two cannot drift: this module only moves bytes between ASGI and that function.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Receive, Scope, Send

from app.api.run import RUN_PATH, answer


class FastRun:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST" or scope["path"] != RUN_PATH:
            await self.app(scope, receive, send)
            return
        body = await _read_body(receive)
        if body is None:
            return  # the client left
        headers = {
            name.decode("latin-1"): value.decode("latin-1") for name, value in scope["headers"]
        }
        client = scope["state"]["client"]  # app/api/guards.py, which runs before us
        reply = await answer(scope["app"].state.runner, body, headers, client)
        await send({"type": "http.response.start", "status": reply.status, "headers": [
            (b"content-length", str(len(reply.body)).encode()),
            *((name.lower().encode(), value.encode()) for name, value in reply.headers.items()),
        ]})  # fmt: skip
        await send({"type": "http.response.body", "body": reply.body})


async def _read_body(receive: Receive) -> bytes | None:
    """The request guards have bounded the body and read it already (one message)."""
    chunks = []
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return None
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            return b"".join(chunks)
