"""How the app is served: uvicorn with a deadline on request headers and no proxy rewriting.

uvicorn times out idle keep-alive connections, but a connection that has sent part of a request's
headers (or nothing at all) is waited on for ever: enough of them hold every descriptor the
server has. `GuardedH11` / `GuardedHttpTools` are uvicorn's own HTTP protocols with one addition:
from the moment a connection opens, and again whenever it starts a new request, its headers must
be complete within `header_timeout_seconds`, or the connection is closed. (The body has its own
deadline in app/api/guards.py.)

uvicorn also rewrites the client address from X-Forwarded-For for loopback peers by default;
`SERVE_OPTIONS` turns that off, so the app sees the real peer and believes forwarding headers
only from `trusted_proxies` (app/service/ratelimit.py:client_key). `autograd-playground serve`
and the Dockerfile serve with these options; tests/ start their servers the same way.
"""

from __future__ import annotations

import asyncio
from typing import Any

from uvicorn.protocols.http.h11_impl import H11Protocol
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from app.settings import get_settings

PROTOCOL = "app.server:GuardedHttpTools"
# The command line's form of the options (tests/servers.py and the Dockerfile's CMD pass these).
SERVE_ARGS = ("--http", PROTOCOL, "--no-proxy-headers")
SERVE_OPTIONS: dict[str, Any] = {"http": PROTOCOL, "proxy_headers": False}


class _HeaderDeadline:
    """Mixed into a uvicorn HTTP protocol (which has `loop`, `transport` and `cycle`: the
    request being answered, replaced when the next request's headers are complete)."""

    loop: asyncio.AbstractEventLoop
    transport: asyncio.Transport
    cycle: Any
    _deadline: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:
        super().connection_made(transport)  # type: ignore[misc]
        self._arm()

    def data_received(self, data: bytes) -> None:
        if self._deadline is None and self._awaiting_headers():
            self._arm()
        super().data_received(data)  # type: ignore[misc]

    def connection_lost(self, exc: Exception | None) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None
        super().connection_lost(exc)  # type: ignore[misc]

    def _awaiting_headers(self) -> bool:
        return self.cycle is None or bool(self.cycle.response_complete)

    def _arm(self) -> None:
        seconds = get_settings().header_timeout_seconds
        self._deadline = self.loop.call_later(seconds, self._expired, self.cycle)

    def _expired(self, cycle: Any) -> None:
        """No new request since the deadline was set: close. A new one whose answer is done and
        which is waiting for the next request's headers already: a deadline for those."""
        self._deadline = None
        if self.transport.is_closing():
            return
        if self.cycle is cycle:
            self.transport.close()
        elif self._awaiting_headers():
            self._arm()


class GuardedH11(_HeaderDeadline, H11Protocol):
    """uvicorn's h11 protocol with the header deadline."""


class GuardedHttpTools(_HeaderDeadline, HttpToolsProtocol):
    """uvicorn's httptools protocol with the header deadline."""
