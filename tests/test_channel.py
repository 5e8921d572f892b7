"""The web process's end of a worker socket (app/service/channel.py), against a real
multiprocessing Connection on the other end, as a worker holds it."""

from __future__ import annotations

import asyncio
import socket
import struct
from multiprocessing.connection import Connection

import pytest

from app.service.channel import MAX_FRAME_BYTES, Channel, decode_answer, encode_answer


async def _pair() -> tuple[Channel, Connection]:
    ours, theirs = socket.socketpair()
    return await Channel.attach(ours), Connection(theirs.detach())


def test_frames_both_ways_including_large_ones() -> None:
    async def scenario() -> None:
        channel, worker = await _pair()
        channel.send(b'{"source": "x"}')
        assert await asyncio.to_thread(worker.recv_bytes) == b'{"source": "x"}'
        body = b"[" + b"1," * 600_000 + b"1]"  # arrives in many pieces
        await asyncio.to_thread(worker.send_bytes, encode_answer(200, body))
        assert decode_answer(await channel.receive(5)) == (200, body)
        worker.send_bytes(encode_answer(422, b"{}"))
        worker.send_bytes(encode_answer(500, b"{}"))  # two frames in one read: both kept, in order
        assert decode_answer(await channel.receive(5))[0] == 422
        assert decode_answer(await channel.receive(5))[0] == 500
        channel.close()
        worker.close()

    asyncio.run(scenario())


def test_silence_is_a_timeout_and_a_closed_worker_is_eof() -> None:
    async def scenario() -> None:
        channel, worker = await _pair()
        with pytest.raises(TimeoutError):
            await channel.receive(0.05)
        worker.close()
        with pytest.raises(EOFError):
            await channel.receive(5)
        with pytest.raises(EOFError):
            channel.send(b"{}")

    asyncio.run(scenario())


def test_an_oversized_frame_is_not_buffered() -> None:
    async def scenario() -> None:
        channel, worker = await _pair()
        worker._send(struct.pack("!i", MAX_FRAME_BYTES + 1))  # a header, and nothing after it
        with pytest.raises(EOFError, match="frame of"):
            await channel.receive(5)
        worker.close()

    asyncio.run(scenario())
