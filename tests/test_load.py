"""A classroom at nine o'clock: 64 clients, each at its own address, students beside attackers.

Every simulated client connects from its own loopback address (127.0.0.2 … 127.0.0.65: Linux
routes all of 127/8 to lo), so the server sees 64 clients as it would in a real classroom; no
forwarding header is sent or trusted (`trusted_proxies` keeps its default, none). Every eighth
client is an attacker that sends hostile programs back to back; the 56 others are students who
run a lesson, read the answer and edit for 10–30 s, and run again (the first run at a random
moment of the first 30 s: a class does not press Run at one instant). The server is one of the
test's own with the deployed defaults (two workers and the slow clients' one, the rate limit,
`max_run_seconds`), for LOAD_SECONDS (default 45) after a warm-up.

Why students think: 64 clients that each send their next request the moment the last is
answered wait, by Little's law, 64 / throughput on average whatever the order of the queue, so
such a test measures the machine's throughput (bench/), not who waits for whom. Students who
think ask a few runs a second, as a class does.

What must hold:
- every benign request gets exactly the answer it gets on an idle server;
- every hostile program is answered as its class: a wall-time program with the `max_run_seconds`
  refusal, a memory bomb with the refusal of the size it would pass, a loop bomb with
  `max_loop_iterations`, a former worker-crasher with its bound's refusal (or, when it only
  raises inside torch, a 200 carrying torch's error), an escape attempt with a `not_allowed` /
  `syntax` refusal; every class is answered so at least once. An attacker's run may instead be
  its 429 `rate_limited`: once its programs have run out of time its runs wait behind everyone
  else's, and one that waited `queue_wait_seconds` is refused as that client's, not as the
  service's 503 (eight attackers want more wall time than the one worker kept for them);
- no answer is a 5xx and no worker died under a run (the server's log says so when one does);
- the students' runs do not wait behind the attackers' (app/service/fairness.py, told apart by
  address). The same 56 students (same lessons, same pace, addresses 127.0.1.x) run at the same
  time on a second server of the same settings with no attacker: the control. Asserted: the
  students' p99 latency beside the attackers is at most 500 ms above their p99 on the control.
  Printed and written to test-artifacts/load.json beside it: the absolute p50/p99 (the issue's
  figure, ≤ 500 ms), the control's, and the p99 wait (latency less the run's own time in its
  worker). The absolute p99 is not what is asserted because the machine's two cores are
  shared with whatever else runs there: a training lesson takes ~200 ms on an idle machine and
  several times that on a busy one, whoever waits for whom; a control measured at the same
  moment on the same cores moves with it, a baseline measured before does not.

The warm-up: each attacker's first program runs out of wall time before the students arrive. A
client nobody has seen yet can hold a worker once with a slow program (its slowness is not
known until it has run out of time, README "Security"); the rules are about the clients that
are known, which is where a class spends its lesson.

Fairness is also asserted in its own scenario, through the service's runner with real workers
(below): a class of students who think between runs, beside two attackers whose programs run
out of wall time (benign p99 ≤ 500 ms; the wait alone is reported beside it).
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import os
import random
import time
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from app.lessons import LESSONS
from app.pipeline import RunRequest
from app.service.runner import Runner
from app.settings import Settings
from tests.oracle import normalise_output
from tests.servers import Server, serve

SECONDS = float(os.environ.get("LOAD_SECONDS", "45"))
CLIENTS = 64
ATTACKER_EVERY = 8  # clients 0, 8, 16, …: 8 attackers beside 56 students
THINK_SECONDS = (10.0, 30.0)  # a student reads the answer and edits (uniform) before the next run
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


@dataclass(frozen=True)
class Hostile:
    """A hostile program, its class, and its answer: the limit its refusal names,
    `not_allowed`/`syntax` (refused as language), or `error` (a 200 carrying torch's error)."""

    source: str
    kind: str  # wall | memory | loop | crash | refusal
    answer: str


# reductions to one number: nothing the element limits count, only time
WALL = "x = torch.rand(1000, 1000)\nwhile True:\n    y = x.std() + x.std() + x.std()\n"
HOSTILE = [
    Hostile(WALL, "wall", "max_run_seconds"),
    Hostile("torch.zeros(10**6, 10**6)", "memory", "max_tensor_elements"),
    Hostile("while True:\n    pass", "loop", "max_loop_iterations"),
    Hostile("t = ()\nfor i in range(300000):\n    t = (t,)\nh = t in (t,)", "crash",
            "max_container_depth"),
    Hostile("import os\nos.system('id')", "refusal", "not_allowed"),
    Hostile("x = torch.ones(10**6)\ny = x[:, None] * x[None, :]", "memory", "max_tensor_elements"),
    Hostile("y = torch.zeros(1).view([1] * 1500)", "crash", "max_tensor_dims"),
    Hostile("().__class__.__bases__[0].__subclasses__()", "refusal", "not_allowed"),
    Hostile("x = torch.rand(1000, 1000)\nfor i in range(10**9):\n    y = x.norm() + x.std()\n",
            "wall", "max_run_seconds"),
    Hostile("x = 2**10**10", "memory", "max_int_bits"),
    Hostile("for i in range(10**9):\n    x = i", "loop", "max_loop_iterations"),
    Hostile("y = torch.ones(2, 3) @ torch.ones(2, 3)", "crash", "error"),
    Hostile("torch.load('/etc/passwd')", "refusal", "not_allowed"),
    Hostile("s = 'a' * 10**10", "memory", "max_sequence_len"),
    Hostile("l = []\nwhile True:\n    l.append(torch.ones(10**6))", "memory",
            "max_allocated_elements"),
    Hostile("x = torch.tensor(1.)\n(x * 2).backward()", "crash", "error"),
    Hostile("x = " + "(" * 300 + "1" + ")" * 300, "refusal", "syntax"),  # the parser's limit
    Hostile("x = " + "-" * 3000 + "1", "refusal", "max_ast_depth"),
]  # fmt: skip


def _comparable(body: dict[str, Any]) -> dict[str, Any]:
    """Everything but the echo of the source and the timings; printed object addresses
    (`<MulBackward0 object at 0x7f…>`) differ from process to process, as in real Python."""
    kept = {k: v for k, v in body.items() if k not in ("code", "timings_ms")}
    return json.loads(normalise_output(json.dumps(kept)))


def _answered_as_its_class(row: Hostile, status: int, text: str) -> bool:
    body = json.loads(text)
    if row.answer == "error":
        return status == 200 and body.get("error") is not None
    if row.answer in ("not_allowed", "syntax"):
        return status == 422 and body.get("kind") == row.answer
    return status == 422 and body.get("kind") == "limit" and body.get("limit") == row.answer


@contextlib.asynccontextmanager
async def _client_at(url: str, address: str) -> AsyncIterator[httpx.AsyncClient]:
    """A client connecting from its own loopback address, as a classroom's laptops would."""
    transport = httpx.AsyncHTTPTransport(local_address=address)
    async with httpx.AsyncClient(base_url=url, timeout=60, transport=transport) as client:
        yield client


def _lesson_body(which: int, tail: str) -> dict[str, Any]:
    """A lesson's request with a unique comment, so the answer cache cannot answer it."""
    lesson = LESSONS[which]
    comment = f"\n# {tail}" if lesson.mode == "python" else f"\n# {tail.replace(' ', '-')}"
    return {"source": lesson.source + comment, "mode": lesson.mode, "inputs": lesson.inputs}


@pytest.fixture(scope="module")
def classroom_servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, Server]]:
    """Two servers of the test's own with the deployed defaults (rate limit included): the
    classroom with attackers, and its control, where the same students run alone."""
    with (
        serve(tmp_path_factory.mktemp("classroom"), {}) as classroom,
        serve(tmp_path_factory.mktemp("control"), {}) as control,
    ):
        yield classroom, control


def _idle_answers(url: str) -> list[dict[str, Any]]:
    """Each lesson's answer on an idle server."""
    answers = []
    with httpx.Client(base_url=url, timeout=60) as http:
        for which in range(len(LESSONS)):
            response = http.post("/api/v1/run", json=_lesson_body(which, "idle"))
            assert response.status_code == 200, response.text
            answers.append(_comparable(response.json()))
    return answers


async def _attacking(url: str, index: int, deadline: float, log: list[tuple]) -> None:
    """Hostile programs back to back, starting with one that runs out of wall time."""
    first = (index // ATTACKER_EVERY) * 5
    async with _client_at(url, f"127.0.0.{index + 2}") as client:
        for n in itertools.count():
            if n and time.monotonic() > deadline:
                return
            row = HOSTILE[0] if n == 0 else HOSTILE[(first + n) % len(HOSTILE)]
            response = await client.post("/api/v1/run", json={"source": row.source})
            log.append((row, response.status_code, response.text))


async def _studying(url: str, address: str, index: int, deadline: float, log: list[tuple]) -> None:
    """A student's runs; the same student (index) runs the same lessons at the same pace on
    either server."""
    rng = random.Random(index)
    await asyncio.sleep(rng.uniform(0, THINK_SECONDS[1]))  # nobody presses Run at one instant
    async with _client_at(url, address) as client:
        for n in itertools.count():
            if time.monotonic() > deadline:
                return
            which = (index * 5 + n) % len(LESSONS)
            start = time.perf_counter()
            response = await client.post("/api/v1/run", json=_lesson_body(which, f"{index} {n}"))
            elapsed = (time.perf_counter() - start) * 1000
            log.append((which, response.status_code, response.text, elapsed))
            await asyncio.sleep(rng.uniform(*THINK_SECONDS))


async def _classroom(url: str, control: str) -> tuple[list[tuple], list[tuple], list[tuple], float]:
    """The attackers' warm-up, then everyone for SECONDS, and the same students on the control
    server at the same time; (benign, control, hostile, warm-up seconds)."""
    attackers = range(0, CLIENTS, ATTACKER_EVERY)
    students = [i for i in range(CLIENTS) if i % ATTACKER_EVERY]
    hostile: list[tuple] = []
    start = time.monotonic()
    # each attacker's first program runs out of wall time while nobody else is there
    await asyncio.gather(*(_attacking(url, i, 0.0, hostile) for i in attackers))
    warm_up = time.monotonic() - start
    deadline = time.monotonic() + SECONDS
    benign: list[tuple] = []
    alone: list[tuple] = []
    await asyncio.gather(
        *(_attacking(url, i, deadline, hostile) for i in attackers),
        *(_studying(url, f"127.0.0.{i + 2}", i, deadline, benign) for i in students),
        *(_studying(control, f"127.0.1.{i + 2}", i, deadline, alone) for i in students),
    )
    return benign, alone, hostile, warm_up


def _own_ms(text: str) -> float:
    """The run's own time in its worker (its stages), from a 200 answer; 0 for anything else."""
    try:
        return float(sum(json.loads(text).get("timings_ms", {}).values()))
    except (ValueError, AttributeError):
        return 0.0


def _answered_as(row: Hostile, status: int, text: str) -> str:
    """The row's class when it was answered as its class; `held_back`: the 429 of a slow
    client's run that waited `queue_wait_seconds` behind the others; else `wrong`."""
    if status >= 500:
        return "wrong"
    if _answered_as_its_class(row, status, text):
        return row.kind
    if status == 429 and json.loads(text).get("kind") == "rate_limited":
        return "held_back"
    return "wrong"


def _report(benign: list[tuple], alone: list[tuple], hostile: list[tuple]) -> dict[str, Any]:
    latencies = [entry[3] for entry in benign]
    control = [entry[3] for entry in alone]
    return {
        "clients": CLIENTS,
        "attackers": len(range(0, CLIENTS, ATTACKER_EVERY)),
        "think_seconds": list(THINK_SECONDS),
        "seconds": SECONDS,
        "benign": len(benign),
        "hostile": dict(Counter(_answered_as(*entry) for entry in hostile)),
        "p50_ms": _percentile(latencies, 0.5),
        "p99_ms": _percentile(latencies, 0.99),
        "wait_p99_ms": _percentile([e[3] - _own_ms(e[2]) for e in benign], 0.99),
        "control_p50_ms": _percentile(control, 0.5),
        "control_p99_ms": _percentile(control, 0.99),
        "added_p99_ms": round(_percentile(latencies, 0.99) - _percentile(control, 0.99), 1),
    }


def test_a_classroom_of_64_clients_with_hostile_neighbours(
    classroom_servers: tuple[Server, Server],
) -> None:
    classroom, control = classroom_servers
    expected = _idle_answers(classroom.url)
    load_before = os.getloadavg()[0]
    benign, alone, hostile, warm_up = asyncio.run(_classroom(classroom.url, control.url))
    report = {
        **_report(benign, alone, hostile),
        "warm_up_seconds": round(warm_up, 1),
        "load_average": [round(load_before, 2), round(os.getloadavg()[0], 2)],
    }
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "load.json").write_text(json.dumps(report, indent=2))
    print(f"\nload test: {report}")
    log = (classroom.cwd.parent / "uvicorn.log").read_text()
    assert "lost mid-run" not in log, log[-2000:]  # no worker died under a run
    for server, answers in (("classroom", benign), ("control", alone)):
        for which, status, text, _ in answers:
            assert status == 200, (server, LESSONS[which].id, status, text[:300])
            assert _comparable(json.loads(text)) == expected[which], (server, LESSONS[which].id)
    for row, status, text in hostile:
        assert _answered_as(row, status, text) != "wrong", (row.source[:60], status, text[:300])
    assert all(report["hostile"].get(row.kind) for row in HOSTILE), report  # each class
    assert len(benign) > CLIENTS, report
    assert report["added_p99_ms"] <= 500, report


# --- fairness: students beside attackers ----------------------------------------------------------

STUDENTS = 6
FAIR_THINK_SECONDS = 1.0
# reductions to one number: nothing the element limits count, only time (seconds a run)
SLOW = "x = torch.rand(1000, 1000)\nfor i in range(10000):\n    y = x.std() + x.std() + x.std()\n"
# A class working through the autograd lessons (the training loops, hundreds of ms a run on
# their own, measure the machine's speed rather than who waits for whom).
QUICK = [i for i, lesson in enumerate(LESSONS) if not lesson.truth and "optim" not in lesson.source]
ATTACKS = [
    SLOW,
    HOSTILE[1].source,
    SLOW,
    HOSTILE[10].source,
]  # mostly programs that run out of time


def _request(lesson_index: int, tail: str = "") -> RunRequest:
    lesson = LESSONS[lesson_index]
    source = lesson.source + (f"\n# {tail}" if tail else "")
    return RunRequest(source=source, mode=lesson.mode, inputs=lesson.inputs)


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return round(ordered[max(0, int(len(ordered) * share) - 1)], 1)


async def _student(runner: Runner, index: int, deadline: float, log: list[tuple]) -> None:
    for n in itertools.count():
        if time.monotonic() > deadline:
            return
        which = QUICK[(index * 5 + n) % len(QUICK)]
        start = time.perf_counter()
        status, body, _ = await runner.run(_request(which, f"s{index}-{n}"), f"student-{index}")
        elapsed = (time.perf_counter() - start) * 1000
        answer = json.loads(body)
        own = sum(answer.get("timings_ms", {}).values())  # the run itself, in its worker
        log.append((which, status, answer, elapsed, elapsed - own))
        await asyncio.sleep(FAIR_THINK_SECONDS)


async def _attacker(runner: Runner, index: int, deadline: float, log: list[tuple]) -> None:
    for n in itertools.count():
        if time.monotonic() > deadline:
            return
        source = ATTACKS[n % len(ATTACKS)] + f"# attack {index}-{n}\n"
        status, body, _ = await runner.run(RunRequest(source=source), f"attacker-{index}")
        log.append((status, json.loads(body)))


async def _fair_classroom(seconds: float) -> dict[str, Any]:
    runner = Runner(Settings(workers=2, queue_wait_seconds=60))
    await runner.start()
    try:
        expected = []
        for which in range(len(LESSONS)):  # on idle workers
            status, body, _ = await runner.run(_request(which, "idle"))
            assert status == 200, body[:300]
            expected.append(_comparable(json.loads(body)))
        # each attacker has run out of time once already: the rules are about such clients
        # (a new one's first slow run holds a worker once, as nothing is known of it yet)
        await asyncio.gather(
            *(runner.run(RunRequest(source=SLOW), f"attacker-{i}") for i in (1, 2))
        )
        students: list[tuple] = []
        attacks: list[tuple] = []
        deadline = time.monotonic() + seconds
        await asyncio.gather(
            *(_student(runner, i, deadline, students) for i in range(STUDENTS)),
            *(_attacker(runner, i, deadline, attacks) for i in (1, 2)),
        )
    finally:
        await runner.close()
    for which, status, answer, _, _ in students:
        assert status == 200, (LESSONS[which].id, answer)
        assert _comparable(answer) == expected[which], LESSONS[which].id
    timed_out = [detail for status, detail in attacks if detail.get("limit") == "max_run_seconds"]
    assert all(status == 422 for status, _ in attacks) and timed_out
    return {
        "students": STUDENTS,
        "lessons": len(QUICK),
        "think_seconds": FAIR_THINK_SECONDS,
        "attackers": 2,
        "seconds": seconds,
        "benign": len(students),
        "attacks": len(attacks),
        "attacks_out_of_time": len(timed_out),
        "p50_ms": _percentile([s[3] for s in students], 0.5),
        "p99_ms": _percentile([s[3] for s in students], 0.99),
        "wait_p50_ms": _percentile([s[4] for s in students], 0.5),
        "wait_p99_ms": _percentile([s[4] for s in students], 0.99),
    }


def test_students_do_not_wait_behind_attackers_whose_runs_run_out_of_time() -> None:
    report = asyncio.run(_fair_classroom(min(SECONDS, 20.0)))
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / "load.json"
    saved = json.loads(path.read_text()) if path.exists() else {}
    path.write_text(json.dumps({**saved, "fairness": report}, indent=2))
    print(f"\nfairness: {report}")
    assert report["p99_ms"] <= 500, report
