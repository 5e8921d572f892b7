"""The queue of runs that idle workers take from: one socket shared by all of them.

The web process writes each request as one message on a `SOCK_SEQPACKET` socket pair; every
worker holds the other end and reads from it whenever it is free, so the kernel hands each
message to exactly one worker. The pool writes a run for each idle worker and a few more (which
runs, and in what order, is its fairness rules' choice), so a free worker never waits for the
web process to pick *it*, a finishing one usually finds its next run there, and a run never
waits behind another in a busy worker while a different one is idle.

A message is a header (the job's id, and the monotonic clock's time at which the web process
stops waiting for it: a worker that takes it later skips it), then the request. A request too
large for one message travels in a memory file whose descriptor goes with the header.
"""

from __future__ import annotations

import asyncio
import collections
import os
import select
import socket
import struct
import time
from dataclasses import dataclass

_HEADER = struct.Struct("!QQ")  # job id, expiry (time.monotonic_ns)
# Larger requests go in a memory file: a message must fit the socket's send buffer (~200 KiB
# by default), and several must fit at once for the queue to hold them.
INLINE_BYTES = 32 * 1024


@dataclass(frozen=True, slots=True)
class Job:
    id: int
    expiry_ns: int
    request: bytes

    @property
    def expired(self) -> bool:
        return time.monotonic_ns() > self.expiry_ns


def pair() -> tuple[socket.socket, socket.socket]:
    """(the web process's end, the end every worker reads)."""
    return socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)


class JobQueue:
    """The web process's end. Writes never block: what the socket cannot take yet waits here,
    in order, and is written when it can."""

    def __init__(self, sock: socket.socket) -> None:
        sock.setblocking(False)
        self._sock = sock
        self._backlog: collections.deque[tuple[bytes, list[int]]] = collections.deque()
        self._loop = asyncio.get_running_loop()

    def put(self, job: Job) -> None:
        header = _HEADER.pack(job.id, job.expiry_ns)
        if len(job.request) <= INLINE_BYTES:
            message, fds = header + job.request, []
        else:
            message, fds = header, [_memory_file(job.request)]
        if self._backlog or not self._send(message, fds):
            if not self._backlog:
                self._loop.add_writer(self._sock.fileno(), self._flush)
            self._backlog.append((message, fds))

    def close(self) -> None:
        if self._backlog:
            self._loop.remove_writer(self._sock.fileno())
        for _, fds in self._backlog:
            for fd in fds:
                os.close(fd)
        self._backlog.clear()
        self._sock.close()

    def _flush(self) -> None:
        while self._backlog:
            message, fds = self._backlog[0]
            if not self._send(message, fds):
                return
            self._backlog.popleft()
        self._loop.remove_writer(self._sock.fileno())

    def _send(self, message: bytes, fds: list[int]) -> bool:
        try:
            if fds:
                socket.send_fds(self._sock, [message], fds)
            else:
                self._sock.send(message)
        except BlockingIOError:
            return False
        for fd in fds:  # the message holds its own reference now
            os.close(fd)
        return True


class Inbox:
    """A worker's end. Blocked in a read, idle workers queue in turn: each job wakes the one
    that has waited longest, so a trickle of requests visits every worker, and each runs with
    caches gone cold while it slept (1.5–3× the time of a run back to back). Instead an idle
    worker waits in epoll, registered once with EPOLLEXCLUSIVE: a job wakes one waiting worker,
    always the first registered of those waiting, so at a trickle the same worker takes them
    all and stays warm; under load every worker is busy and reads the next job as it finishes.

    `own`: the worker's own queue, which only the pool writes to, and only while it counts
    this worker idle: a run drawn again, for the trace this worker keeps (pool.py). It is read
    first; it wakes only this worker.
    """

    def __init__(self, sock: socket.socket, own: socket.socket | None = None) -> None:
        self._socks = [sock] if own is None else [own, sock]
        self._waiting = select.epoll()
        for each in self._socks:
            each.setblocking(False)
            flags = select.EPOLLIN | (select.EPOLLEXCLUSIVE if each is sock else 0)
            self._waiting.register(each.fileno(), flags)

    def take(self) -> Job | None:
        """The next job (waiting until there is one), its own queue's first; None once the
        web process has closed its end of either."""
        while True:
            for sock in self._socks:
                try:
                    return read(sock)
                except BlockingIOError:  # another worker took it, or nothing came yet
                    pass
            self._waiting.poll()

    def close(self) -> None:
        self._waiting.close()


def read(sock: socket.socket) -> Job | None:
    """One message from the queue: a job, or None once the web process has closed its end.
    On a non-blocking socket with nothing to read: BlockingIOError."""
    message, fds, _, _ = socket.recv_fds(sock, _HEADER.size + INLINE_BYTES, 1)
    if not message:
        return None
    job_id, expiry_ns = _HEADER.unpack_from(message)
    if fds:
        with open(fds[0], "rb") as memory_file:  # closes the descriptor
            request = memory_file.read()
    else:
        request = message[_HEADER.size :]
    return Job(job_id, expiry_ns, request)


def _memory_file(data: bytes) -> int:
    fd = os.memfd_create("playground-job", os.MFD_CLOEXEC)
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]
    os.lseek(fd, 0, os.SEEK_SET)
    return fd
