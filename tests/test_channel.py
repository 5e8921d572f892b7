"""The web process's end of a worker's report socket (app/service/channel.py), against a real
multiprocessing Connection on the other end, as a worker holds it."""

from __future__ import annotations

import asyncio
import socket
import struct
from multiprocessing.connection import Connection

from app.service.channel import (
    MAX_FRAME_BYTES,
    READY,
    Channel,
    Report,
    encode_answer,
    encode_started,
)


class _Reports:
    """What the pool would be told: the reports in order, and why the channel was lost."""

    def __init__(self) -> None:
        self.reports: list[Report] = []
        self.lost: list[BaseException] = []
        self.changed = asyncio.Event()

    def report(self, report: Report) -> None:
        self.reports.append(report)
        self.changed.set()

    def lose(self, reason: BaseException) -> None:
        self.lost.append(reason)
        self.changed.set()

    async def until(self, condition: object) -> None:
        while not condition():  # type: ignore[operator]
            self.changed.clear()
            await asyncio.wait_for(self.changed.wait(), 5)


async def _pair() -> tuple[Channel, Connection, _Reports]:
    ours, theirs = socket.socketpair()
    seen = _Reports()
    return await Channel.attach(ours, seen.report, seen.lose), Connection(theirs.detach()), seen


def test_reports_in_order_including_large_answers_and_several_in_one_read() -> None:
    async def scenario() -> None:
        channel, worker, seen = await _pair()
        worker.send_bytes(READY)
        worker.send_bytes(encode_started(7))
        body = b"[" + b"1," * 600_000 + b"1]"  # arrives in many pieces
        await asyncio.to_thread(worker.send_bytes, encode_answer(7, 200, body))
        worker.send_bytes(encode_started(2**63))
        worker.send_bytes(encode_answer(2**63, 422, b"{}"))
        await seen.until(lambda: len(seen.reports) == 5)
        kinds = [(r.kind, r.job_id, r.status) for r in seen.reports]
        assert kinds == [("ready", 0, 0), ("started", 7, 0), ("answer", 7, 200),
                         ("started", 2**63, 0), ("answer", 2**63, 422)]  # fmt: skip
        assert seen.reports[2].body == body and seen.reports[4].body == b"{}"
        assert seen.lost == []
        worker.close()
        await seen.until(lambda: seen.lost)
        assert isinstance(seen.lost[0], EOFError) and len(seen.lost) == 1
        channel.close()

    asyncio.run(scenario())


def test_an_oversized_frame_is_not_buffered_and_loses_the_worker() -> None:
    async def scenario() -> None:
        _, worker, seen = await _pair()
        worker._send(struct.pack("!i", MAX_FRAME_BYTES + 1))  # a header, and nothing after it
        await seen.until(lambda: seen.lost)
        assert "frame of" in str(seen.lost[0]) and seen.reports == []
        worker.close()

    asyncio.run(scenario())


def test_a_frame_that_is_no_report_loses_the_worker() -> None:
    async def scenario() -> None:
        _, worker, seen = await _pair()
        worker.send_bytes(encode_started(1))
        worker.send_bytes(b"S\x00")  # a started report cut short
        worker.send_bytes(encode_answer(1, 200, b"{}"))  # after the break: never delivered
        await seen.until(lambda: seen.lost)
        assert [r.kind for r in seen.reports] == ["started"]
        assert "not a worker frame" in str(seen.lost[0])
        worker.close()

    asyncio.run(scenario())
