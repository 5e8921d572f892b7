"""The web process's own cost of `POST /api/v1/run` answered from the answer cache (the path
every repeated lesson takes): the whole ASGI app called in-process, no network, no worker.
`PYTHONPATH=<checkout> .venv/bin/python -m bench.run_path` prints microseconds per request
(median of 5 rounds), so two checkouts can be compared on one machine.

Figures only: nothing is asserted.
"""

from __future__ import annotations

import asyncio
import json
import os
import statistics
import time

os.environ["PLAYGROUND_RATE_LIMIT_PER_MINUTE"] = "0"  # thousands of requests from one client
os.environ.setdefault("PLAYGROUND_WORKERS", "1")  # answered from the cache: no worker runs

from app.main import app  # noqa: E402  (after the settings above)

BODY = json.dumps({"source": "x = torch.tensor(3., requires_grad=True)\ny = x * x\n"
                   "y.backward()\n", "formats": ["svg"]}).encode()  # fmt: skip
ROUNDS, REQUESTS = 5, 2_000


async def call(headers: list[tuple[bytes, bytes]]) -> int:
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST",
             "scheme": "http", "path": "/api/v1/run", "raw_path": b"/api/v1/run",
             "query_string": b"", "root_path": "", "client": ("127.0.0.1", 5000),
             "server": ("127.0.0.1", 8000), "headers": headers}  # fmt: skip
    sent: list[int] = []

    async def receive() -> dict:
        return {"type": "http.request", "body": BODY, "more_body": False}

    async def send(message: dict) -> None:
        if message["type"] == "http.response.start":
            sent.append(message["status"])

    await app(scope, receive, send)
    return sent[0]


async def measure(headers: list[tuple[bytes, bytes]]) -> float:
    assert await call(headers) == 200  # fills the cache
    rounds = []
    for _ in range(ROUNDS):
        started = time.perf_counter()
        for _ in range(REQUESTS):
            await call(headers)
        rounds.append((time.perf_counter() - started) / REQUESTS * 1e6)
    return statistics.median(rounds)


async def main() -> None:
    base = [(b"content-type", b"application/json"), (b"content-length", str(len(BODY)).encode())]
    async with app.router.lifespan_context(app):
        plain = await measure(base)
        gzipped = await measure([*base, (b"accept-encoding", b"gzip")])
    print(f"cached POST /api/v1/run: {plain:.0f} µs/request; with Accept-Encoding: gzip "
          f"{gzipped:.0f} µs/request")  # fmt: skip


if __name__ == "__main__":
    asyncio.run(main())
