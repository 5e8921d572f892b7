"""What a worker tells the web process, over a socket of its own: length-prefixed frames.

The worker writes with `multiprocessing.connection.Connection.send_bytes` (blocking); this side
is an asyncio protocol attached once, for the worker's whole life, that hands each whole frame
to the pool as it arrives: no reader registered and removed per message, no pickling, no task
per request. Frames are the Connection's own format: a 4-byte big-endian length, then the bytes.

Frames, after the worker's first (READY):
- STARTED: `S`, the job's id — the worker has taken a job from the queue (jobs.py) and runs it;
- ANSWER: `A`, the job's id, a 2-byte HTTP status, a byte of flags (1: the answer is complete
  and may be cached; 2: the run ran out of wall time), then the JSON body.
"""

from __future__ import annotations

import asyncio
import socket
import struct
from collections.abc import Callable

_HEADER = struct.Struct("!i")
_STARTED = struct.Struct("!cQ")
_ANSWER = struct.Struct("!cQHB")
_COMPLETE, _OUT_OF_TIME = 1, 2
# An answer holds at most a few capped values and pictures; a frame announced past this is a
# broken (or subverted) worker, and is not buffered.
MAX_FRAME_BYTES = 512 * 2**20
READY = b"ready"


def encode_started(job_id: int) -> bytes:
    return _STARTED.pack(b"S", job_id)


def encode_answer(
    job_id: int, status: int, body: bytes, complete: bool = False, out_of_time: bool = False
) -> bytes:
    flags = (_COMPLETE if complete else 0) | (_OUT_OF_TIME if out_of_time else 0)
    return _ANSWER.pack(b"A", job_id, status, flags) + body


class Report:
    """A frame, read: `kind` is "ready", "started" or "answer"."""

    __slots__ = ("kind", "job_id", "status", "body", "flags")

    def __init__(self, frame: bytes) -> None:
        self.job_id, self.status, self.body, self.flags = 0, 0, b"", 0
        if frame == READY:
            self.kind = "ready"
        elif frame[:1] == b"S" and len(frame) == _STARTED.size:
            self.kind, self.job_id = "started", _STARTED.unpack(frame)[1]
        elif frame[:1] == b"A" and len(frame) >= _ANSWER.size:
            _, self.job_id, self.status, self.flags = _ANSWER.unpack_from(frame)
            self.kind, self.body = "answer", frame[_ANSWER.size :]
        else:
            raise ValueError(f"not a worker frame: {frame[:20]!r}")

    @property
    def complete(self) -> bool:
        return bool(self.flags & _COMPLETE)

    @property
    def out_of_time(self) -> bool:
        return bool(self.flags & _OUT_OF_TIME)


class Channel(asyncio.Protocol):
    """Calls `on_report` with each report, and `on_lost` once, with the reason, when the
    worker's end is gone (closed, died, or broke the protocol)."""

    def __init__(
        self, on_report: Callable[[Report], None], on_lost: Callable[[BaseException], None]
    ) -> None:
        self._on_report = on_report
        self._on_lost = on_lost
        self._transport: asyncio.BaseTransport | None = None
        self._buffer = bytearray()
        self._lost = False

    @classmethod
    async def attach(
        cls,
        sock: socket.socket,
        on_report: Callable[[Report], None],
        on_lost: Callable[[BaseException], None],
    ) -> Channel:
        loop = asyncio.get_running_loop()
        _, channel = await loop.create_unix_connection(lambda: cls(on_report, on_lost), sock=sock)
        return channel

    # asyncio.Protocol
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self._transport = transport

    def data_received(self, data: bytes) -> None:
        self._buffer += data
        while len(self._buffer) >= _HEADER.size and not self._lost:
            (size,) = _HEADER.unpack_from(self._buffer)
            if not 0 <= size <= MAX_FRAME_BYTES:  # negative: Connection's form for over 2 GiB
                self._lose(EOFError(f"the worker announced a frame of {size} bytes"))
                return
            end = _HEADER.size + size
            if len(self._buffer) < end:
                return
            frame = bytes(self._buffer[_HEADER.size : end])
            del self._buffer[:end]
            try:
                report = Report(frame)
            except ValueError as exc:
                self._lose(EOFError(str(exc)))
                return
            self._on_report(report)

    def connection_lost(self, exc: Exception | None) -> None:
        self._lose(exc or EOFError("the worker closed its end"))

    def eof_received(self) -> bool:
        self._lose(EOFError("the worker closed its end"))
        return False

    def close(self) -> None:
        if self._transport is not None:
            self._transport.close()

    def _lose(self, reason: BaseException) -> None:
        if not self._lost:  # the first reason is the one worth reporting
            self._lost = True
            self.close()
            self._on_lost(reason)
