"""The web process's end of a worker's socket: length-prefixed frames on the event loop.

The worker speaks through `multiprocessing.connection.Connection.send_bytes`/`recv_bytes`
(blocking, one request at a time); this side is an asyncio protocol attached once, for the
worker's whole life, so a request costs one write and one wake-up: no reader registered and
removed per message, no pickling, no task per timeout. Frames are the Connection's own format:
a 4-byte big-endian length, then the bytes.

A request is the run's fields as JSON; an answer is a 2-byte HTTP status, then the JSON body.
"""

from __future__ import annotations

import asyncio
import socket
import struct

_HEADER = struct.Struct("!i")
_STATUS = struct.Struct("!H")
# An answer holds at most a few capped values and pictures; a frame announced past this is a
# broken (or subverted) worker, and is not buffered.
MAX_FRAME_BYTES = 512 * 2**20
READY = b"ready"
STOP = b""


def encode_answer(status: int, body: bytes) -> bytes:
    return _STATUS.pack(status) + body


def decode_answer(frame: bytes) -> tuple[int, bytes]:
    return _STATUS.unpack_from(frame)[0], frame[_STATUS.size :]


class Channel(asyncio.Protocol):
    """One outstanding request at a time (the pool hands a worker to one request)."""

    def __init__(self) -> None:
        self._transport: asyncio.Transport | None = None
        self._buffer = bytearray()
        self._frames: list[bytes] = []
        self._waiter: asyncio.Future[bytes] | None = None
        self._lost: BaseException | None = None

    @classmethod
    async def attach(cls, sock: socket.socket) -> Channel:
        loop = asyncio.get_running_loop()
        _, channel = await loop.create_unix_connection(cls, sock=sock)
        return channel

    # asyncio.Protocol
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        # uvloop's transports are not asyncio.Transport subclasses, but have the same methods
        self._transport = transport  # type: ignore[assignment]

    def data_received(self, data: bytes) -> None:
        self._buffer += data
        while len(self._buffer) >= _HEADER.size:
            (size,) = _HEADER.unpack_from(self._buffer)
            if not 0 <= size <= MAX_FRAME_BYTES:  # negative: Connection's form for over 2 GiB
                self._lose(EOFError(f"the worker announced a frame of {size} bytes"))
                self.close()
                return
            end = _HEADER.size + size
            if len(self._buffer) < end:
                return
            self._frames.append(bytes(self._buffer[_HEADER.size : end]))
            del self._buffer[:end]
            self._wake()

    def connection_lost(self, exc: Exception | None) -> None:
        self._lose(exc or EOFError("the worker closed its end"))

    def eof_received(self) -> bool:
        self._lose(EOFError("the worker closed its end"))
        return False

    # the pool's side
    def send(self, payload: bytes) -> None:
        if self._lost is not None or self._transport is None:
            raise EOFError("the worker is gone")
        self._transport.write(_HEADER.pack(len(payload)) + payload)

    async def receive(self, timeout: float) -> bytes:
        """The next frame; TimeoutError after `timeout` s, EOFError when the worker is gone."""
        if not self._frames and self._lost is None:
            loop = asyncio.get_running_loop()
            self._waiter = loop.create_future()
            timer = loop.call_later(timeout, self._time_out, self._waiter)
            try:
                await self._waiter
            finally:
                timer.cancel()
                self._waiter = None
        if self._frames:
            return self._frames.pop(0)
        raise EOFError(str(self._lost))

    def close(self) -> None:
        if self._transport is not None:
            self._transport.close()

    def _lose(self, reason: BaseException) -> None:
        if self._lost is None:  # the first reason is the one worth reporting
            self._lost = reason
        self._wake()

    def _wake(self) -> None:
        if self._waiter is not None and not self._waiter.done():
            self._waiter.set_result(b"")

    @staticmethod
    def _time_out(waiter: asyncio.Future[bytes]) -> None:
        if not waiter.done():
            waiter.set_exception(TimeoutError())
